"""The examples in examples/ served end to end: a scikit-learn model and an ONNX model.

Each model is built here (from the iris data inside scikit-learn), served by ``airgap score`` with
the example's score.py as it is, and its answers checked against the model called directly; where
``.venv-azmlinfsrv`` exists, Microsoft's server answers the same requests with the same bytes.
"""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

from tests.scoring.support import AZMLINFSRV, ROOT, ScoreServer, free_port

EXAMPLES = ROOT / "examples"
JSON = {"Content-Type": "application/json"}


def _module(path):
    spec = importlib.util.spec_from_file_location(path.stem + "_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _serve(kind, example, model_dir, log_dir):
    server = ScoreServer(kind, "score.py", free_port(), EXAMPLES / example, {}, ["--model_dir", str(model_dir)])
    return server.start(log_dir)


def _both(example, model_dir, tmp_path, requests):
    kinds = ["airgap"] + (["azmlinfsrv"] if AZMLINFSRV.exists() else [])
    replies = {}
    for kind in kinds:
        server = _serve(kind, example, model_dir, tmp_path)
        try:
            replies[kind] = [server.request(*r) for r in requests]
        finally:
            server.stop()
    if "azmlinfsrv" in replies:
        for ours, theirs in zip(replies["airgap"], replies["azmlinfsrv"]):
            assert (ours.status, ours.body) == (theirs.status, theirs.body)
    return replies["airgap"]


def test_sklearn_example(tmp_path):
    from sklearn.datasets import load_iris

    model_path = _module(EXAMPLES / "sklearn" / "train.py").train(tmp_path / "models")
    import joblib

    model = joblib.load(model_path)
    features, _ = load_iris(return_X_y=True)
    sample = (EXAMPLES / "sklearn" / "sample-request.json").read_bytes()
    everything = json.dumps({"data": features.tolist()}).encode()
    ok, all_rows, bad, swagger = _both("sklearn", tmp_path / "models", tmp_path, [
        ("POST", "/score", sample, JSON),
        ("POST", "/score", everything, JSON),
        ("POST", "/score", b'{"rows": []}', JSON),
        ("GET", "/swagger.json?version=3", None, {}),
    ])
    assert ok.status == 200 and ok.json()["labels"] == ["setosa", "virginica"]
    assert all_rows.json()["predictions"] == model.predict(features).tolist()
    assert bad.status == 400 and bad.json() == {"message": "A value is not provided for the 'data' parameter."}
    schema = swagger.json()["components"]["schemas"]["ServiceInput"]
    assert schema["example"] == {"data": [[5.1, 3.5, 1.4, 0.2]]}


def test_onnx_example(tmp_path):
    pytest.importorskip("skl2onnx", reason="skl2onnx (the test extra) builds the example's ONNX model")
    import onnxruntime
    from sklearn.datasets import load_iris

    model_path = _module(EXAMPLES / "onnx" / "build_model.py").build(tmp_path / "models")
    features, labels = load_iris(return_X_y=True)
    features = features.astype(np.float32)
    session = onnxruntime.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    expected = session.run(None, {session.get_inputs()[0].name: features})[0].tolist()
    sample = (EXAMPLES / "onnx" / "sample-request.json").read_bytes()
    ok, all_rows, broken = _both("onnx", tmp_path / "models", tmp_path, [
        ("POST", "/score", sample, JSON),
        ("POST", "/score", json.dumps({"data": features.tolist()}).encode(), JSON),
        ("POST", "/score", b'{"data": "not rows"}', JSON),
    ])
    assert ok.status == 200 and ok.json()["predictions"] == [0, 2]
    assert all_rows.json()["predictions"] == expected
    assert np.mean(np.array(expected) == labels) > 0.9
    assert broken.status == 500 and broken.headers and broken.header("x-ms-run-function-failed") == "True"
