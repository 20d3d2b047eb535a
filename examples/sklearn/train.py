"""Train the example's model: a logistic regression on the iris data that ships with scikit-learn.

    python examples/sklearn/train.py MODEL_DIR     # writes MODEL_DIR/model/iris.joblib

(As an Azure ML model registered from the folder ``model/``: at run time AZUREML_MODEL_DIR holds it.)
"""

import sys
from pathlib import Path

import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression


def train(model_dir: Path) -> Path:
    features, labels = load_iris(return_X_y=True)
    model = LogisticRegression(max_iter=1000).fit(features, labels)
    path = Path(model_dir) / "model" / "iris.joblib"
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)
    return path


if __name__ == "__main__":
    print(train(Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
