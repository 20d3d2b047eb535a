"""Field extraction of the prebuilt document models (invoice, receipt) from a laid-out document:
plain Python over `layout.Layout`, no HTTP and no Azure JSON."""

from __future__ import annotations

from airgap.services.document.engines.words import Document
from airgap.services.document.layout import Layout


def extract_fields(kind: str, layout: Layout) -> Document:
    """The document a prebuilt model finds in `layout`: kind "invoice" or "receipt"."""
    if kind == "invoice":
        from airgap.services.document.engines.invoice import extract_invoice

        return extract_invoice(layout)
    if kind == "receipt":
        from airgap.services.document.engines.receipt import extract_receipt

        return extract_receipt(layout)
    raise ValueError(f"no field extractor {kind!r}")
