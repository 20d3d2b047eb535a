"""run() that declares request_headers."""


def init():
    pass


def run(data, request_headers):
    headers = {k: v for k, v in request_headers.items() if k not in ("Host",)}
    return {"data": data, "headers": headers}
