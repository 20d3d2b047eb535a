"""An Azure ML scoring script for an ONNX model (onnxruntime, CPU), unchanged from what runs on Azure ML.

The body is JSON: {"data": [[sepal length, sepal width, petal length, petal width], ...]}.
"""

import json
import os

import numpy as np
import onnxruntime


def init():
    global session, input_name
    path = os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.onnx")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # one run() per worker thread: no oversubscription
    session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name


def run(raw_data):
    data = np.asarray(json.loads(raw_data)["data"], dtype=np.float32)
    labels, probabilities = session.run(None, {input_name: data})
    return {"predictions": labels.tolist(), "probabilities": np.round(probabilities, 6).tolist()}
