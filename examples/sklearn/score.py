"""An Azure ML scoring script for a scikit-learn model, unchanged from what runs on Azure ML.

init() loads the model from AZUREML_MODEL_DIR once per worker; run() is typed with inference_schema,
so the server checks the body (a JSON object with "data": rows of four numbers) and /swagger.json
describes it.
"""

import logging
import os

import joblib
import numpy as np
from inference_schema.parameter_types.numpy_parameter_type import NumpyParameterType
from inference_schema.schema_decorators import input_schema, output_schema

CLASSES = ["setosa", "versicolor", "virginica"]


def init():
    global model
    path = os.path.join(os.getenv("AZUREML_MODEL_DIR"), "model", "iris.joblib")
    model = joblib.load(path)
    logging.info("Model loaded from %s", path)


@input_schema("data", NumpyParameterType(np.array([[5.1, 3.5, 1.4, 0.2]])))
@output_schema(NumpyParameterType(np.array([0])))
def run(data):
    probabilities = model.predict_proba(data)
    return {
        "predictions": probabilities.argmax(axis=1).tolist(),
        "labels": [CLASSES[i] for i in probabilities.argmax(axis=1)],
        "probabilities": probabilities.round(6).tolist(),
    }
