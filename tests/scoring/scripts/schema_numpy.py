"""inference_schema with numpy input and output."""
import numpy as np
from inference_schema.parameter_types.numpy_parameter_type import NumpyParameterType
from inference_schema.schema_decorators import input_schema, output_schema


def init():
    pass


@input_schema("data", NumpyParameterType(np.array([[1.0, 2.0, 3.0]])))
@output_schema(NumpyParameterType(np.array([6.0])))
def run(data):
    if data.shape[0] == 0:
        raise ValueError("no rows")
    return data.sum(axis=1).tolist()
