"""How Form Recognizer and Document Intelligence write errors."""

from __future__ import annotations

from airgap.platform.errors import NestedCodeDialect

# The shared decoder's and upload reader's codes, in Form Recognizer's vocabulary (innererror codes):
# the service's dialect writes them under InvalidRequest.
DIALECT = NestedCodeDialect(default_inner="InvalidContent", vocabulary={
    "InvalidImageFormat": "InvalidContent", "InvalidImage": "InvalidContent",
    "InvalidImageSize": "InvalidContentDimensions", "InvalidPageRange": "InvalidParameter",
    "UnsupportedMediaType": "UnsupportedContent", "InvalidImageUrl": "InvalidContentSourceFormat",
    "FailedToDownloadImage": "ContentSourceNotAccessible", "InvalidRequest": "InvalidRequest"})
