"""OpenCV's own face detectors as the reference for FaceRead's imported ONNX detectors.

Reads one JSON request on stdin and prints one JSON answer:
  request: {"family": "yunet" | "ultraface", "model": path, "threads": n (optional),
            "scoreThreshold", "nmsThreshold", "topK", "rounds": n (optional, timing),
            "photos": [{"rgb": path, "width", "height", "inputWidth", "inputHeight"}]}
  answer:  {"version", "photos": [{"faces": [[x, y, w, h, 10 landmark values, score], ...], "ms": [...]}]}

yunet runs cv2.FaceDetectorYN as its users do: the photo (resized with
cv2.resize INTER_LINEAR when inputWidth/inputHeight differ from its size)
padded black to multiples of 32 on the right and bottom, the detector set
to that size. ultraface runs cv2.dnn on blobFromImage(photo, 1/128,
(inputWidth, inputHeight), 127, swapRB=True), keeps the face class above
the threshold and suppresses with cv2.dnn.NMSBoxes. Coordinates are in the
photo's pixels; ultraface has no landmarks (zeros). "ms" times detection
alone (resize and padding included) for each of "rounds" runs.
"""
import json
import sys
import time

import cv2
import numpy as np

DIVISOR = 32


def read_photo(spec):
    rgb = np.fromfile(spec["rgb"], dtype=np.uint8).reshape(spec["height"], spec["width"], 3)
    return np.ascontiguousarray(rgb[:, :, ::-1])


def yunet_faces(detectors, request, bgr, spec):
    iw, ih = spec["inputWidth"], spec["inputHeight"]
    image = bgr if (iw, ih) == (spec["width"], spec["height"]) else cv2.resize(bgr, (iw, ih), interpolation=cv2.INTER_LINEAR)
    pw, ph = -(-iw // DIVISOR) * DIVISOR, -(-ih // DIVISOR) * DIVISOR
    image = cv2.copyMakeBorder(image, 0, ph - ih, 0, pw - iw, cv2.BORDER_CONSTANT, value=0)
    detector = detectors.get((pw, ph))
    if detector is None:
        detector = cv2.FaceDetectorYN.create(request["model"], "", (pw, ph), request["scoreThreshold"], request["nmsThreshold"], request["topK"])
        detectors[(pw, ph)] = detector
    detector.setInputSize((pw, ph))
    _, faces = detector.detect(image)
    if faces is None:
        return []
    faces = faces.astype(np.float64)
    sx, sy = spec["width"] / iw, spec["height"] / ih
    faces[:, 0:14:2] *= sx
    faces[:, 1:14:2] *= sy
    return faces.tolist()


def ultraface_faces(net, request, bgr, spec):
    size = (spec["inputWidth"], spec["inputHeight"])
    blob = cv2.dnn.blobFromImage(bgr, 1.0 / 128, size, (127, 127, 127), swapRB=True, crop=False)
    net.setInput(blob)
    scores, boxes = net.forward(["scores", "boxes"])
    scores, boxes = scores[0, :, 1], boxes[0]
    keep = np.where(scores > request["scoreThreshold"])[0]
    w, h = spec["width"], spec["height"]
    rects = [[float(boxes[i, 0] * w), float(boxes[i, 1] * h), float((boxes[i, 2] - boxes[i, 0]) * w), float((boxes[i, 3] - boxes[i, 1]) * h)] for i in keep]
    kept = cv2.dnn.NMSBoxes(rects, [float(scores[i]) for i in keep], request["scoreThreshold"], request["nmsThreshold"], top_k=request["topK"])
    return [rects[k] + [0.0] * 10 + [float(scores[keep[k]])] for k in np.array(kept).reshape(-1)]


def main():
    request = json.load(sys.stdin)
    if request.get("threads"):
        cv2.setNumThreads(request["threads"])
    rounds = request.get("rounds", 1)
    if request["family"] == "yunet":
        state, run = {}, yunet_faces
    elif request["family"] == "ultraface":
        state = cv2.dnn.readNetFromONNX(request["model"])
        state.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        state.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        run = ultraface_faces
    else:
        raise ValueError("unknown family " + request["family"])
    answers = []
    for spec in request["photos"]:
        bgr = read_photo(spec)
        faces, ms = None, []
        for _ in range(rounds):
            start = time.perf_counter()
            faces = run(state, request, bgr, spec)
            ms.append((time.perf_counter() - start) * 1000)
        answers.append({"faces": faces, "ms": ms})
    json.dump({"version": cv2.__version__, "photos": answers}, sys.stdout)


if __name__ == "__main__":
    main()
