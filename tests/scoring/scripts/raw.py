"""@rawhttp: run() gets the request object and may answer with an AMLResponse."""
import json

from azureml.contrib.services.aml_request import AMLRequest, rawhttp  # noqa: F401 - as scripts import it
from azureml.contrib.services.aml_response import AMLResponse


def init():
    pass


@rawhttp
def run(request):
    kind = request.args.get("kind", "echo")
    if kind == "echo":
        return {"method": request.method, "args": request.args.to_dict(flat=False),
                "body": request.get_data(as_text=True), "type": request.content_type,
                "custom": request.headers.get("X-Custom"), "path": request.path}
    if kind == "json":
        return AMLResponse({"received": request.get_json(silent=True)}, 200, json_str=True)
    if kind == "strict-json":
        return {"received": request.get_json()}  # a bad body raises inside run()
    if kind == "headers":
        return AMLResponse("with headers", 201, {"X-Multi": "a, b,c", "Content-Type": "text/plain", "X-One": "1"})
    if kind == "status":
        return AMLResponse(json.dumps({"status": int(request.args["code"])}), int(request.args["code"]))
    if kind == "bytes":
        return AMLResponse(b"\x89PNG\r\n\x1a\n\x00\x01", 200, {"Content-Type": "image/png"})
    if kind == "none":
        return AMLResponse(None, 202)
    if kind == "form":
        return {"form": request.form.to_dict(), "files": {k: f.read().decode() for k, f in request.files.items()}}
    if kind == "fail":
        raise RuntimeError("raw failure")
    if kind == "plain":
        return "a plain string"
    return AMLResponse("unknown kind", 400)
