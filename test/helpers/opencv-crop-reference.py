"""Face crops made by OpenCV, the reference for FaceRead's affine face crops.

Reads a JSON request on stdin:
  {"rgb": file of raw RGB bytes, "width": w, "height": h, "prefix": path prefix for outputs,
   "runs": [{"size": [w, h],
             one of "matrix": [6 numbers] (photo to crop),
                    "box": [x1, y1, x2, y2], "margin": m   (InsightFace's attribute crop: the box centre,
                                                            side m times the longer side, no rotation),
                    "fit": {"from": [[x, y] x5], "to": [[x, y] x5]}  (cv2.estimateAffinePartial2D),
             optional "blob": {"mean": number, "scale": number, "swapRB": bool}}]}
Writes for each run the crop (raw RGB bytes) and, with "blob", cv2.dnn.blobFromImage of the crop
(float32 NCHW); prints {"version", "runs": [{"matrix", "crop", "blob"}]} as JSON.
The photo is handled as BGR, as cv2.imread gives it to InsightFace.
"""
import json
import sys

import cv2
import numpy as np


def insightface_matrix(box, size, margin):
    # As insightface.utils.face_align.transform composes it: scale, move the centre to the
    # origin, rotate (0 here), move to the crop's centre.
    x1, y1, x2, y2 = box
    w, h = x2 - x1, y2 - y1
    cx, cy = (x2 + x1) / 2, (y2 + y1) / 2
    s = size / (max(w, h) * margin)
    scale = np.array([[s, 0, 0], [0, s, 0], [0, 0, 1]], dtype=np.float64)
    to_origin = np.array([[1, 0, -cx * s], [0, 1, -cy * s], [0, 0, 1]], dtype=np.float64)
    rotate = np.eye(3)
    to_centre = np.array([[1, 0, size / 2], [0, 1, size / 2], [0, 0, 1]], dtype=np.float64)
    return (to_centre @ (rotate @ (to_origin @ scale)))[0:2]


def main():
    request = json.load(sys.stdin)
    w, h = request["width"], request["height"]
    rgb = np.fromfile(request["rgb"], dtype=np.uint8).reshape(h, w, 3)
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    answers = []
    for i, run in enumerate(request["runs"]):
        size = tuple(run["size"])
        if "matrix" in run:
            m = np.array(run["matrix"], dtype=np.float64).reshape(2, 3)
        elif "box" in run:
            m = insightface_matrix(run["box"], size[0], run["margin"])
        else:
            src = np.array(run["fit"]["from"], dtype=np.float32)
            dst = np.array(run["fit"]["to"], dtype=np.float32)
            # A threshold no point exceeds keeps all five as inliers: the least-squares fit.
            m, _ = cv2.estimateAffinePartial2D(src, dst, ransacReprojThreshold=1e4, refineIters=100)
        crop = cv2.warpAffine(bgr, m, size)
        answer = {"matrix": m.reshape(-1).tolist(), "crop": f"{request['prefix']}-{i}.rgb"}
        np.ascontiguousarray(crop[:, :, ::-1]).tofile(answer["crop"])
        if "blob" in run:
            b = run["blob"]
            blob = cv2.dnn.blobFromImage(crop, b["scale"], size, (b["mean"],) * 3, swapRB=b["swapRB"])
            answer["blob"] = f"{request['prefix']}-{i}.blob"
            blob.astype(np.float32).tofile(answer["blob"])
        answers.append(answer)
    json.dump({"version": cv2.__version__, "runs": answers}, sys.stdout)


main()
