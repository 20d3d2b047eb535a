"""Field extraction of the prebuilt document models (invoice, receipt, idDocument, businessCard) from
a laid-out document: plain Python over `layout.Layout`, no HTTP and no Azure JSON."""

from __future__ import annotations

from airgap.services.document.engines.words import Document
from airgap.services.document.layout import Layout


def extract_fields(kind: str, layout: Layout) -> Document:
    """The document a prebuilt model finds in `layout`: kind "invoice", "receipt", "idDocument" or
    "businessCard"."""
    if kind == "invoice":
        from airgap.services.document.engines.invoice import extract_invoice

        return extract_invoice(layout)
    if kind == "receipt":
        from airgap.services.document.engines.receipt import extract_receipt

        return extract_receipt(layout)
    if kind == "idDocument":
        from airgap.services.document.engines.id_document import extract_id_document

        return extract_id_document(layout)
    if kind == "businessCard":
        from airgap.services.document.engines.business_card import extract_business_card

        return extract_business_card(layout)
    raise ValueError(f"no field extractor {kind!r}")
