"""Text Analytics versions a pinned client may still send but this server does not serve
(v2.x, the v3.x previews): a 404 naming the version, the versions served and the SDK release
that speaks each (``platform/api_versions.py``). Included last in ``LanguageService.routers()``."""

from __future__ import annotations

from fastapi import APIRouter

from airgap.platform.api_versions import Served, retired_versions_router

SERVED = (
    Served("/text/analytics/v3.0", "azure-ai-textanalytics 5.0.x"),
    Served("/text/analytics/v3.1", "azure-ai-textanalytics 5.1.x"),
    Served("/language/:analyze-text?api-version=2022-05-01", "azure-ai-textanalytics 5.2.x"),
    Served("/language/:analyze-text?api-version=2023-04-01", "azure-ai-textanalytics 5.3.x and later"),
)
# v2.x: azure-cognitiveservices-language-textanalytics; previews: azure-ai-textanalytics betas.
RETIRED = ("v2.0", "v2.1", "v3.0-preview.1", "v3.1-preview.1", "v3.1-preview.2", "v3.1-preview.3",
           "v3.1-preview.4", "v3.1-preview.5", "v3.2-preview.1", "v3.2-preview.2")


def build_router() -> APIRouter:
    return retired_versions_router("Text Analytics", "/text/analytics", RETIRED, SERVED)
