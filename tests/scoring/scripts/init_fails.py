def init():
    raise RuntimeError("cannot load the model: weights missing")


def run(data):
    return data
