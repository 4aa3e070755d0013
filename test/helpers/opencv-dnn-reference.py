"""OpenCV DNN as the reference runtime for FaceRead's conformance tests.

Reads one JSON request on stdin, runs cv2.dnn on it and writes every
requested output as raw float32 next to `prefix`, then prints a JSON
answer on stdout: {"version", "runs": [{"blob": {...}, "outputs": {name: {"file", "shape"}}}]}.

A run's input is either a raw float32 NCHW blob ({"raw": path, "shape"})
or pixels ({"rgb": path, "width", "height"}) made into a blob by
cv2.dnn.blobFromImage as OpenCV's samples do (BGR, size, mean, optional roi;
swapRB as the LearnOpenCV app passes it).
"""
import json
import sys

import cv2
import numpy as np


def load_net(spec):
    if spec["framework"] == "caffe":
        return cv2.dnn.readNetFromCaffe(spec["config"], spec["model"])
    if spec["framework"] == "tensorflow":
        return cv2.dnn.readNetFromTensorflow(spec["model"], spec["config"])
    raise ValueError("unknown framework " + spec["framework"])


def make_blob(spec):
    if "raw" in spec:
        return np.fromfile(spec["raw"], dtype=np.float32).reshape(spec["shape"])
    rgb = np.fromfile(spec["rgb"], dtype=np.uint8).reshape(spec["height"], spec["width"], 3)
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    if spec.get("roi"):
        x1, y1, x2, y2 = spec["roi"]
        bgr = bgr[y1:y2, x1:x2]
    return cv2.dnn.blobFromImage(bgr, spec.get("scale", 1.0), tuple(spec["size"]), tuple(spec["mean"]), swapRB=bool(spec.get("swapRB", False)), crop=False)


def main():
    request = json.load(sys.stdin)
    net = load_net(request["net"])
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    answers = []
    for i, run in enumerate(request["runs"]):
        blob = make_blob(run["input"])
        net.setInput(blob)
        names = run["outputs"]
        values = net.forward(names)
        answer = {"outputs": {}}
        prefix = "%s-%d" % (request["prefix"], i)
        blob_file = prefix + "-input.f32"
        blob.astype(np.float32).tofile(blob_file)
        answer["blob"] = {"file": blob_file, "shape": list(blob.shape)}
        for name, value in zip(names, values):
            out_file = "%s-%s.f32" % (prefix, name.replace("/", "_"))
            value.astype(np.float32).tofile(out_file)
            answer["outputs"][name] = {"file": out_file, "shape": list(value.shape)}
        answers.append(answer)
    json.dump({"version": cv2.__version__, "runs": answers}, sys.stdout)


if __name__ == "__main__":
    main()
