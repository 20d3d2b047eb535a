"""Build the example's ONNX model: a scikit-learn classifier on iris, converted with skl2onnx.

    python examples/onnx/build_model.py MODEL_DIR     # writes MODEL_DIR/model.onnx

skl2onnx is needed only here, where the model is made; serving needs onnxruntime alone.
"""

import sys
from pathlib import Path

import numpy as np
from skl2onnx import to_onnx
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier


def build(model_dir: Path) -> Path:
    features, labels = load_iris(return_X_y=True)
    features = features.astype(np.float32)
    model = RandomForestClassifier(n_estimators=20, max_depth=4, random_state=0).fit(features, labels)
    onnx_model = to_onnx(model, features[:1], options={id(model): {"zipmap": False}}, target_opset=17)
    path = Path(model_dir) / "model.onnx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(onnx_model.SerializeToString())
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
