"""The prebuilt models this server offers, and what each one extracts."""

from __future__ import annotations

from dataclasses import dataclass

FR_2022, FR_2023, DI_2024 = "2022-08-31", "2023-07-31", "2024-11-30"
FORM_RECOGNIZER_VERSIONS = (FR_2022, FR_2023)
DOCUMENT_INTELLIGENCE_VERSIONS = (DI_2024,)
CREATED = "2026-11-01T00:00:00Z"  # when these model versions were fixed in airgap


@dataclass(frozen=True)
class PrebuiltModel:
    model_id: str
    description: str
    meter: str
    tables: bool
    key_values: bool
    api_versions: tuple[str, ...]
    fields: str | None = None  # the field extractor (document/engines): "invoice", "receipt", ...


MODELS = {
    m.model_id: m
    for m in (
        PrebuiltModel("prebuilt-read", "Extract text from documents.",
                      "CognitiveServices.FormRecognizer.Container.ReadPages", False, False,
                      (FR_2022, FR_2023, DI_2024)),
        PrebuiltModel("prebuilt-layout", "Extract text and layout information from documents.",
                      "CognitiveServices.FormRecognizer.Container.LayoutPages", True, False,
                      (FR_2022, FR_2023, DI_2024)),
        PrebuiltModel("prebuilt-document", "Extract text, layout, entities, and general key-value pairs from documents.",
                      "CognitiveServices.FormRecognizer.Container.DocumentPages", True, True, (FR_2022, FR_2023)),
        PrebuiltModel("prebuilt-invoice", "Extract key information from invoices.",
                      "CognitiveServices.FormRecognizer.Container.InvoicePages", True, False,
                      (FR_2022, FR_2023, DI_2024), fields="invoice"),
        PrebuiltModel("prebuilt-receipt", "Extract key information from receipts.",
                      "CognitiveServices.FormRecognizer.Container.ReceiptPages", True, False,
                      (FR_2022, FR_2023, DI_2024), fields="receipt"),
        PrebuiltModel("prebuilt-idDocument", "Extract key information from passports and ID cards.",
                      "CognitiveServices.FormRecognizer.Container.IdDocumentPages", False, False,
                      (FR_2022, FR_2023, DI_2024), fields="idDocument"),
        # Azure's business-card model ends with 2023-07-31: 2024-11-30 has none.
        PrebuiltModel("prebuilt-businessCard", "Extract key information from business cards.",
                      "CognitiveServices.FormRecognizer.Container.BusinessCardPages", False, False,
                      (FR_2022, FR_2023), fields="businessCard"),
    )
}
