"""An independent decoder for SCRFD and RetinaFace outputs, written from
the authors' descriptions of their post-processing (InsightFace's SCRFD
`forward`/`nms` and Pytorch_Retinaface's PriorBox, `decode`,
`decode_landm` and `py_cpu_nms`), in plain Python (no numpy), to check
FaceRead's TypeScript decoders against on the same network outputs.

Reads one JSON request on stdin and prints one JSON answer:
  request: {"family": "scrfd" | "retinaface", "width", "height" (the tensor's size),
            "outputs": {role: flat list} (scrfd: score_8 ... bbox_32, kps_8 ... ;
            retinaface: loc, conf, landms), "threshold", "scale": [sx, sy] (input to photo),
            "nms": IoU, "topK": n (retinaface)}
  answer:  {"faces": [[x1, y1, x2, y2, score, 10 landmark values (if any)], ...]} best first
"""
import json
import math
import sys


def scrfd_candidates(req):
    width, height = req["width"], req["height"]
    out = req["outputs"]
    found = []
    for stride in (8, 16, 32):
        cols, rows = width // stride, height // stride
        scores, boxes, kps = out["score_%d" % stride], out["bbox_%d" % stride], out.get("kps_%d" % stride)
        assert len(scores) == cols * rows * 2
        for i, score in enumerate(scores):
            if score < req["threshold"]:
                continue
            # Two anchors per cell, on the cell's top-left corner.
            cell = i // 2
            ax, ay = (cell % cols) * stride, (cell // cols) * stride
            d = [v * stride for v in boxes[i * 4:i * 4 + 4]]
            face = [ax - d[0], ay - d[1], ax + d[2], ay + d[3], score]
            if kps is not None:
                k = [v * stride for v in kps[i * 10:i * 10 + 10]]
                face += [(ax if j % 2 == 0 else ay) + k[j] for j in range(10)]
            found.append(face)
    return found


def retinaface_candidates(req):
    width, height = req["width"], req["height"]
    loc, conf, landms = req["outputs"]["loc"], req["outputs"]["conf"], req["outputs"]["landms"]
    priors = []
    for stride, sizes in ((8, (16, 32)), (16, (64, 128)), (32, (256, 512))):
        for r in range(math.ceil(height / stride)):
            for c in range(math.ceil(width / stride)):
                for s in sizes:
                    priors.append(((c + 0.5) * stride / width, (r + 0.5) * stride / height, s / width, s / height))
    assert len(conf) == 2 * len(priors)
    found = []
    for i, (px, py, pw, ph) in enumerate(priors):
        score = conf[2 * i + 1]
        if not score > req["threshold"]:
            continue
        l = loc[4 * i:4 * i + 4]
        cx, cy = px + l[0] * 0.1 * pw, py + l[1] * 0.1 * ph
        w, h = pw * math.exp(l[2] * 0.2), ph * math.exp(l[3] * 0.2)
        face = [(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height, score]
        m = landms[10 * i:10 * i + 10]
        for j in range(5):
            face += [(px + m[2 * j] * 0.1 * pw) * width, (py + m[2 * j + 1] * 0.1 * ph) * height]
        found.append(face)
    found.sort(key=lambda f: -f[4])
    return found[:req.get("topK", len(found))]


def scaled(face, sx, sy):
    """The face in photo pixels: x values times sx, y values times sy, the score as it is."""
    coords = [v * (sx if k % 2 == 0 else sy) for k, v in enumerate(face[:4] + face[5:])]
    return coords[:4] + [face[4]] + coords[4:]


def inclusive_nms(faces, threshold):
    """Greedy suppression with areas counted in whole pixels, both corners included."""
    order = sorted(range(len(faces)), key=lambda i: -faces[i][4])
    keep = []
    area = lambda f: (f[2] - f[0] + 1) * (f[3] - f[1] + 1)
    while order:
        i = order.pop(0)
        keep.append(i)
        a = faces[i]
        rest = []
        for j in order:
            b = faces[j]
            w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]) + 1)
            h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]) + 1)
            inter = w * h
            if inter / (area(a) + area(b) - inter) <= threshold:
                rest.append(j)
        order = rest
    return [faces[i] for i in keep]


def main():
    req = json.load(sys.stdin)
    candidates = scrfd_candidates(req) if req["family"] == "scrfd" else retinaface_candidates(req)
    sx, sy = req["scale"]
    faces = inclusive_nms([scaled(f, sx, sy) for f in candidates], req["nms"])
    json.dump({"faces": faces}, sys.stdout)


if __name__ == "__main__":
    main()
