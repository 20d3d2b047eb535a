"""A script for the platform tests: init() can wait for a file and records each call; run() says
which worker answered."""
import os
import threading
import time


def init():
    gate = os.environ.get("SCORE_TEST_INIT_GATE")
    if gate:
        while not os.path.exists(gate):
            time.sleep(0.05)
    record = os.environ.get("SCORE_TEST_INIT_RECORD")
    if record:
        with open(record, "a") as f:
            f.write(f"{os.getpid()}\n")


def run(data):
    if data == "block":
        threading.Event().wait()
    return {"pid": os.getpid(), "data": data, "model_dir": os.environ.get("AZUREML_MODEL_DIR")}
