"""The classic "AI face reading" Flask service, for `npm run bench:classic`.

Written for this benchmark from the description of the app FaceRead replaces
(issues 13 and 16), keeping the choices that decide its speed and its
behaviour under load:

- the three OpenCV DNN networks are loaded once, at import, and shared by
  every request thread (cv2.dnn.Net objects are not safe to share between
  threads: that is what breaks under concurrency, and it is kept on purpose);
- each upload is saved to a temporary file, read back with cv2.imread and
  removed;
- for each face, gender and age run as two tasks on one module-wide
  ThreadPoolExecutor of 2 threads;
- Werkzeug's development server with threaded=True (a thread per request);
  debug stays off, so there is no reloader process and no debugger.

Preprocessing as `bench/opencv-driver.py` (and the networks' authors): res10
at 300x300, BGR, mean (104, 177, 123), faces above 0.5 confidence; 20 px
padded crops, 227x227, Levi-Hassner mean. Answers and errors have the classic
shapes: {"results": [{"bbox": [x, y, w, h], "gender": "Male", "age": "25-32"}],
"processing_time": "0.12s"} and {"error": "..."} with 400 or 500.

Run: python3 bench/classic-app.py --port 5000 --detector-model X.pb
     --detector-config X.pbtxt --age-model A.caffemodel --age-config
     deploy_age.prototxt --gender-model G.caffemodel --gender-config
     deploy_gender.prototxt [--upload-dir DIR]
"""
import argparse
import os
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np
from flask import Flask, jsonify, request

MEAN_DETECTOR = (104, 177, 123)
MEAN_FACE = (78.4263377603, 87.7689143744, 114.895847746)
PADDING = 20
AGE_LIST = ["0-2", "4-6", "8-12", "15-20", "25-32", "38-43", "48-53", "60-100"]
GENDER_LIST = ["Male", "Female"]

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=5000)
parser.add_argument("--min-score", type=float, default=0.5)
parser.add_argument("--upload-dir", help="where uploads are saved while analysed (default: a new temporary folder)")
for name in ("detector", "age", "gender"):
    parser.add_argument(f"--{name}-model", required=True)
    parser.add_argument(f"--{name}-config", required=True)
args = parser.parse_args()


def read_net(model, config):
    if model.endswith(".pb"):
        return cv2.dnn.readNetFromTensorflow(model, config)
    return cv2.dnn.readNetFromCaffe(config, model)


# Loaded once at start; every request thread uses these same objects.
face_net = read_net(args.detector_model, args.detector_config)
age_net = read_net(args.age_model, args.age_config)
gender_net = read_net(args.gender_model, args.gender_config)
executor = ThreadPoolExecutor(max_workers=2)

UPLOAD_FOLDER = args.upload_dir or tempfile.mkdtemp(prefix="classic-app-uploads-")
app = Flask(__name__)


def detect_faces(frame):
    h, w = frame.shape[:2]
    blob = cv2.dnn.blobFromImage(frame, 1.0, (300, 300), MEAN_DETECTOR, swapRB=False, crop=False)
    face_net.setInput(blob)
    detections = face_net.forward()
    boxes = []
    for i in range(detections.shape[2]):
        confidence = float(detections[0, 0, i, 2])
        if confidence > args.min_score:
            x1 = int(detections[0, 0, i, 3] * w)
            y1 = int(detections[0, 0, i, 4] * h)
            x2 = int(detections[0, 0, i, 5] * w)
            y2 = int(detections[0, 0, i, 6] * h)
            boxes.append((x1, y1, x2, y2))
    return boxes


def predict_gender(blob):
    gender_net.setInput(blob)
    return GENDER_LIST[int(gender_net.forward()[0].argmax())]


def predict_age(blob):
    age_net.setInput(blob)
    return AGE_LIST[int(age_net.forward()[0].argmax())]


def analyze(frame):
    h, w = frame.shape[:2]
    results = []
    for x1, y1, x2, y2 in detect_faces(frame):
        face = frame[max(0, y1 - PADDING):min(y2 + PADDING, h - 1), max(0, x1 - PADDING):min(x2 + PADDING, w - 1)]
        blob = cv2.dnn.blobFromImage(face, 1.0, (227, 227), MEAN_FACE, swapRB=False)
        gender = executor.submit(predict_gender, blob)
        age = executor.submit(predict_age, blob)
        results.append({"bbox": [x1, y1, x2 - x1, y2 - y1], "gender": gender.result(), "age": age.result()})
    return results


@app.route("/api/analyze", methods=["POST"])
def api_analyze():
    if "image" not in request.files:
        return jsonify({"error": "没有上传图片"}), 400
    file = request.files["image"]
    if file.filename == "":
        return jsonify({"error": "没有选择文件"}), 400
    started = time.time()
    path = os.path.join(UPLOAD_FOLDER, f"{uuid.uuid4().hex}{os.path.splitext(file.filename)[1]}")
    try:
        file.save(path)
        frame = cv2.imread(path)
        if frame is None:
            return jsonify({"error": "无法读取图片"}), 400
        results = analyze(frame)
        return jsonify({"results": results, "processing_time": f"{time.time() - started:.2f}s"})
    except Exception as e:  # the classic app answers every failure as a string with 500
        return jsonify({"error": str(e)}), 500
    finally:
        if os.path.exists(path):
            os.remove(path)


if __name__ == "__main__":
    print(f"classic app: OpenCV {cv2.__version__}, numpy {np.__version__}, listening on {args.host}:{args.port}", flush=True)
    app.run(host=args.host, port=args.port, threaded=True)
