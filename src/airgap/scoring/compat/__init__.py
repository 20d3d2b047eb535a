"""What scoring scripts import from Azure ML, served by airgap.

Scripts written for Azure ML's inference server import::

    from azureml.contrib.services.aml_request import AMLRequest, rawhttp
    from azureml.contrib.services.aml_response import AMLResponse

Microsoft's server (``azureml-inference-server-http``) makes those two module names resolve by
putting its own modules into ``sys.modules`` under them before it loads the script; it ships no
``azureml`` package. ``install()`` does the same with ours, in the scoring worker only, so nothing
installed beside airgap (``azureml-core``, ``azureml-contrib-services``, Microsoft's server itself)
is shadowed or clashes on disk: only these two dotted names are taken, as Microsoft's server takes
them. The names under ``azureml_inference_server_http.api`` that its own docs show are aliased too.
"""

from __future__ import annotations

import sys

from airgap.scoring.compat import aml_request, aml_response

ALIASES = {
    "azureml.contrib.services.aml_request": aml_request,
    "azureml.contrib.services.aml_response": aml_response,
    "azureml_inference_server_http.api.aml_request": aml_request,
    "azureml_inference_server_http.api.aml_response": aml_response,
}


def install() -> None:
    """Make the Azure ML import names resolve to airgap's modules (idempotent)."""
    sys.modules.update(ALIASES)
