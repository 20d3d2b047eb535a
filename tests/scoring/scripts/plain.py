"""Undecorated run(raw_data): the body as a string; the answer depends on it."""
import json
import time


def init():
    global ready
    ready = True
    print("plain: init done")


def run(raw_data):
    if raw_data == "fail":
        raise ValueError("the script failed on purpose")
    if raw_data == "obj":
        return object()  # not JSON-serialisable
    if raw_data == "none":
        return None
    if raw_data == "text":
        return "just a string"
    if raw_data == "nan":
        return [float("nan"), float("inf"), 1e300, -0.0]
    if raw_data == "unicode":
        return {"text": "é ✓ 日本"}
    if raw_data == "timeout-error":
        raise TimeoutError("the script's own timeout")
    if raw_data.startswith("sleep "):
        time.sleep(float(raw_data[6:]))
        return "slept"
    try:
        value = json.loads(raw_data)
    except ValueError:
        return {"raw": raw_data, "length": len(raw_data)}
    return {"json": value, "ready": ready}
