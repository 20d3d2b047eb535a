"""Printed labels (anchors) of invoice and receipt fields in English, German, French and Spanish.

Labels are compared folded (lower case, no accents) word by word, after `words.label_tokens`
has made the numero marks alike (No., Nr., n°, nº, #, number -> "no"). A label is matched at
the start of a run of words; the longest label wins, so "Due Date" is never read as "Date".
"""

from __future__ import annotations

# field -> language -> labels
INVOICE = {
    "InvoiceId": {
        "en": ["invoice no", "invoice id", "inv no", "bill no", "invoice ref", "reference no"],
        "de": ["rechnungsnummer", "rechnungsnr", "rechnung no", "re-nr", "re no", "belegnummer"],
        "fr": ["facture no", "no de facture", "no facture", "numero de facture", "reference facture"],
        "es": ["no factura", "no de factura", "factura no", "numero de factura", "num factura"],
    },
    "InvoiceDate": {
        "en": ["invoice date", "date", "issue date", "date of issue", "dated", "bill date", "date issued",
               "invoice dated"],
        "de": ["rechnungsdatum", "datum", "belegdatum", "ausstellungsdatum"],
        "fr": ["date de facture", "date de facturation", "date", "date d'emission", "date de la facture"],
        "es": ["fecha", "fecha de factura", "fecha de emision", "fecha factura", "fecha de expedicion"],
    },
    "DueDate": {
        "en": ["due date", "payment due", "due", "date due", "pay by", "payment due date", "due on", "payable by"],
        "de": ["falligkeitsdatum", "fallig am", "zahlbar bis", "falligkeit", "fallig bis", "zahlungsziel"],
        "fr": ["echeance", "date d'echeance", "date limite de paiement", "a payer avant le", "date limite"],
        "es": ["vencimiento", "fecha de vencimiento", "fecha vencimiento", "vence", "fecha limite de pago"],
    },
    "CustomerName": {
        "en": ["bill to", "billed to", "invoice to", "sold to", "customer", "client", "bill-to", "customer name",
               "invoiced to", "to"],
        "de": ["rechnungsempfanger", "kunde", "empfanger", "rechnungsadresse", "an"],
        "fr": ["client", "facture a", "destinataire", "adresse de facturation"],
        "es": ["cliente", "facturar a", "datos del cliente", "destinatario"],
    },
    "SubTotal": {
        "en": ["subtotal", "sub total", "sub-total", "net total", "net amount", "total net", "total excl vat",
               "amount before tax", "total before tax", "net"],
        "de": ["zwischensumme", "nettobetrag", "summe netto", "netto", "gesamt netto", "nettosumme"],
        "fr": ["total ht", "sous-total", "sous total", "montant ht", "total hors taxes"],
        "es": ["base imponible", "subtotal", "importe neto", "suma", "base"],
    },
    "TotalTax": {
        "en": ["tax", "sales tax", "vat", "total tax", "gst", "hst", "tax amount", "vat amount", "total vat"],
        "de": ["mwst", "ust", "umsatzsteuer", "mehrwertsteuer", "steuer", "zzgl mwst", "zzgl ust"],
        "fr": ["tva", "montant tva", "total tva", "dont tva"],
        "es": ["iva", "total iva", "cuota iva", "impuestos", "impuesto"],
    },
    "InvoiceTotal": {
        "en": ["total", "invoice total", "grand total", "total due", "amount due", "balance due", "total amount",
               "total payable", "amount payable", "total usd", "total eur", "total gbp", "total incl vat"],
        "de": ["gesamtbetrag", "gesamtsumme", "rechnungsbetrag", "endbetrag", "gesamt", "summe", "bruttobetrag",
               "gesamt brutto", "zahlbetrag"],
        "fr": ["total ttc", "montant ttc", "net a payer", "total a payer", "montant total"],
        "es": ["total factura", "importe total", "total a pagar", "total"],
    },
}

# InvoiceTotal labels that also say the amount is what remains to pay (AmountDue).
AMOUNT_DUE = {"total due", "amount due", "balance due", "total payable", "amount payable", "zahlbetrag",
              "net a payer", "total a payer", "total a pagar"}

RECEIPT = {
    "Subtotal": {
        "en": ["subtotal", "sub total", "sub-total", "net total"],
        "de": ["zwischensumme", "netto"],
        "fr": ["sous-total", "sous total", "total ht"],
        "es": ["subtotal", "base imponible"],
    },
    "TotalTax": {
        "en": ["tax", "sales tax", "vat", "total tax", "gst", "hst"],
        "de": ["mwst", "ust", "steuer"],
        "fr": ["tva", "dont tva", "total tva"],
        "es": ["iva", "impuestos", "impuesto"],
    },
    "Tip": {
        "en": ["tip", "gratuity", "service charge"],
        "de": ["trinkgeld"],
        "fr": ["pourboire", "service"],
        "es": ["propina"],
    },
    "Total": {
        "en": ["total", "grand total", "total due", "amount due", "balance due", "total usd", "amount"],
        "de": ["summe", "summe eur", "gesamt", "zu zahlen", "gesamtbetrag", "betrag", "total", "summe euro"],
        "fr": ["total ttc", "total", "montant", "a payer", "net a payer", "total eur"],
        "es": ["total", "importe", "total a pagar", "total eur"],
    },
}

# Lines of a receipt that are neither items nor totals: payment, change, greetings, staff.
RECEIPT_OTHER = [
    "visa", "mastercard", "amex", "american express", "discover", "cash", "change", "card", "debit", "credit",
    "karte", "bar", "ruckgeld", "ec-karte", "girocard", "gegeben", "carte bancaire", "cb", "especes", "rendu",
    "efectivo", "tarjeta", "cambio", "thank", "thanks", "merci", "danke", "vielen dank", "gracias", "bon",
    "server", "table", "tel", "phone", "cashier", "kasse", "kassierer", "caissier", "le", "invoice", "receipt",
]

# Item table column headers.
COLUMNS = {
    "Description": ["description", "item", "items", "designation", "beschreibung", "artikel", "bezeichnung",
                    "leistung", "descripcion", "concepto", "produit", "article", "product", "service", "libelle",
                    "articulo", "item description", "details"],
    "Quantity": ["qty", "quantity", "hours", "hrs", "menge", "anzahl", "quantite", "qte", "cantidad", "cant",
                 "units", "qty.", "stuck", "std", "stunden", "unidades", "heures", "nombre"],
    "UnitPrice": ["unit price", "price", "rate", "einzelpreis", "preis", "prix unitaire", "prix", "precio",
                  "precio unitario", "pu", "ep", "unit cost", "price per unit", "e-preis", "prix u", "tarif",
                  "stundensatz", "hourly rate", "p unit"],
    "Amount": ["amount", "total", "line total", "gesamt", "betrag", "gesamtpreis", "montant", "total ht",
               "importe", "ext price", "extended", "summe", "montant ht", "subtotal", "total price", "gesamtbetrag",
               "line amount", "net"],
}

# Document titles: never a vendor or merchant name.
TITLES = ["invoice", "tax invoice", "rechnung", "facture", "factura", "receipt", "quittung", "kassenbon",
          "ticket", "recu", "recibo", "bill", "statement", "commercial invoice", "proforma invoice",
          "sales receipt", "kassenbeleg", "beleg", "ticket de caisse"]

# Words a restaurant's receipt carries (docType receipt.retailMeal's meal side).
MEAL_WORDS = ["tip", "gratuity", "server", "table", "guests", "trinkgeld", "tisch", "pourboire", "couverts",
              "propina", "mesa", "restaurant", "bistro", "brasserie", "pizzeria", "diner", "grill", "pub", "cafe",
              "creperie", "taqueria", "trattoria", "kitchen"]


def languages() -> tuple[str, ...]:
    return ("en", "de", "fr", "es")
