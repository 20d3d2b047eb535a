"""run() that never returns by itself for 'block' (a wait no exception interrupts), else answers."""
import threading
import time

_forever = threading.Event()


def init():
    pass


def run(data):
    if data == "block":
        _forever.wait()  # a lock wait: only the process ending stops it
    if data == "spin":
        while True:  # pure Python: interrupted by the timeout's exception
            time.sleep(0.01)
    return {"ok": data}
