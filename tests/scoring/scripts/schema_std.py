"""inference_schema with standard Python types, several parameters, a default and request_headers."""
from inference_schema.parameter_types.standard_py_parameter_type import StandardPythonParameterType
from inference_schema.schema_decorators import input_schema, output_schema


def init():
    pass


@input_schema("text", StandardPythonParameterType("hello"))
@input_schema("count", StandardPythonParameterType(2))
@input_schema("options", StandardPythonParameterType({"upper": False}))
@output_schema(StandardPythonParameterType({"result": ["hello", "hello"]}))
def run(text, count, options={"upper": False}, request_headers=None):
    words = [text.upper() if options.get("upper") else text] * int(count)
    return {"result": words, "agent": (request_headers or {}).get("X-Agent")}
