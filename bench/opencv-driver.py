"""OpenCV DNN side of `npm run bench:opencv`: the classic age-gender service.

Runs the networks as OpenCV's age-gender sample does: readNetFromCaffe /
readNetFromTensorflow, blobFromImage, one detector forward per photo, then
one age and one gender forward per face (20 px padded crop). Reads a JSON
request on stdin, prints one JSON line with per-photo latencies (ms).
"""
import json
import sys
import time

import cv2
import numpy as np

MEAN_DETECTOR = (104, 177, 123)
MEAN_FACE = (78.4263377603, 87.7689143744, 114.895847746)
PADDING = 20


def load(spec):
    if spec["framework"] == "tensorflow":
        net = cv2.dnn.readNetFromTensorflow(spec["model"], spec["config"])
    else:
        net = cv2.dnn.readNetFromCaffe(spec["config"], spec["model"])
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    return net


def analyse(data, detector, age, gender, min_score):
    frame = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    h, w = frame.shape[:2]
    detector.setInput(cv2.dnn.blobFromImage(frame, 1.0, (300, 300), MEAN_DETECTOR, swapRB=False, crop=False))
    detections = detector.forward()
    faces = []
    for i in range(detections.shape[2]):
        score = float(detections[0, 0, i, 2])
        if score <= min_score:
            continue
        x1, y1 = int(detections[0, 0, i, 3] * w), int(detections[0, 0, i, 4] * h)
        x2, y2 = int(detections[0, 0, i, 5] * w), int(detections[0, 0, i, 6] * h)
        face = frame[max(0, y1 - PADDING):min(y2 + PADDING, h - 1), max(0, x1 - PADDING):min(x2 + PADDING, w - 1)]
        if face.size == 0:
            continue
        blob = cv2.dnn.blobFromImage(face, 1.0, (227, 227), MEAN_FACE, swapRB=False)
        gender.setInput(blob)
        g = gender.forward()
        age.setInput(blob)
        a = age.forward()
        faces.append((score, int(g[0].argmax()), int(a[0].argmax())))
    return faces


def main():
    request = json.load(sys.stdin)
    cv2.setNumThreads(request["threads"])
    detector, age, gender = (load(request[k]) for k in ("detector", "age", "gender"))
    photos = [open(p, "rb").read() for p in request["photos"]]
    started = time.perf_counter()
    for data in photos:  # warm-up: first forwards allocate
        analyse(data, detector, age, gender, request["minScore"])
    warmup_ms = (time.perf_counter() - started) * 1000
    latencies, faces = [], 0
    started = time.perf_counter()
    for _ in range(request["rounds"]):
        for data in photos:
            t = time.perf_counter()
            faces += len(analyse(data, detector, age, gender, request["minScore"]))
            latencies.append((time.perf_counter() - t) * 1000)
    total = time.perf_counter() - started
    print(json.dumps({"version": cv2.__version__, "latenciesMs": latencies, "totalS": total, "faces": faces, "warmupMs": warmup_ms}))


if __name__ == "__main__":
    main()
