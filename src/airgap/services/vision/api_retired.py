"""Computer Vision versions a pinned client may still send but this server does not serve (Read
v3.0 and v3.1, the v2.x and v1.0 OCR APIs): a 404 naming the version, the versions served and the
SDK release that speaks each (``platform/api_versions.py``). Included last in
``VisionService.routers()``."""

from __future__ import annotations

from fastapi import APIRouter

from airgap.platform.api_versions import Served, retired_versions_router

SERVED = (
    Served("/vision/v3.2/read/analyze", "azure-cognitiveservices-vision-computervision 0.9.x"),
    Served("/computervision/imageanalysis:analyze?api-version=2023-10-01&features=read",
           "azure-ai-vision-imageanalysis 1.0.x"),
)
RETIRED = ("v1.0", "v2.0", "v2.1", "v3.0", "v3.1", "v3.2-preview.1", "v3.2-preview.2", "v3.2-preview.3")


def build_router() -> APIRouter:
    return retired_versions_router("Computer Vision", "/vision", RETIRED, SERVED)
