"""Custom template models (issue 17): label five generated forms the way the Studio does
(fields.json, <doc>.labels.json with boxes from the rendering, <doc>.ocr.json = this server's
prebuilt-layout result), build through azure-ai-formrecognizer 3.3 (a shared-mount folder) and
azure-ai-documentintelligence 1.0 (a zip in base64Source), analyse a sixth form through each
SDK, and the bad inputs. One server for the module: it needs Mounts:Shared, which the shared
document fixture does not set; it is restarted once to show that models survive."""

from __future__ import annotations

import base64
import datetime
import io
import json
import time
import zipfile
from pathlib import Path

import pytest
import requests
from azure.ai.documentintelligence import DocumentIntelligenceAdministrationClient, DocumentIntelligenceClient
from azure.ai.formrecognizer import DocumentAnalysisClient, DocumentModelAdministrationClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from PIL import Image, ImageDraw, ImageFont

from tests.support.contract import validate_definition
from tests.support.server import ServerProcess

KEY = AzureKeyCredential("unused")
FONT = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
BOLD = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 40)
SIZE = (1275, 1650)  # US letter at 150 dpi
FIELDS = [("Customer", "Customer:", 330), ("OrderNumber", "Order number:", 400), ("OrderDate", "Order date:", 470),
          ("Amount", "Amount due:", 540), ("City", "Delivery city:", 610)]
TYPES = {"Customer": "string", "OrderNumber": "string", "OrderDate": "date", "Amount": "number", "City": "string"}
ROWS_Y = (800, 860)
FORMS = [
    {"Customer": "Alice Martin", "OrderNumber": "PO-10482", "OrderDate": "03/14/2024", "Amount": "1,250.00",
     "City": "Denver", "Items": [("Copper wire", "450.00"), ("Steel bolts", "800.00")]},
    {"Customer": "Robert Chen", "OrderNumber": "PO-20931", "OrderDate": "05/02/2024", "Amount": "310.75",
     "City": "Portland", "Items": [("Paint", "110.75"), ("Brushes", "200.00")]},
    {"Customer": "Maria Gonzalez Ruiz", "OrderNumber": "PO-33017", "OrderDate": "07/21/2024", "Amount": "98.40",
     "City": "San Antonio", "Items": [("Gloves", "98.40")]},
    {"Customer": "Tom Baker", "OrderNumber": "PO-41120", "OrderDate": "09/09/2024", "Amount": "2,040.10",
     "City": "Boston", "Items": [("Timber beams", "1,540.10"), ("Nails", "500.00")]},
    {"Customer": "Hannah Schmidt", "OrderNumber": "PO-52264", "OrderDate": "11/30/2024", "Amount": "675.00",
     "City": "Chicago", "Items": [("Cement", "375.00"), ("Sand", "300.00")]},
    # The sixth, analysed: printed 30 px right and 36 px lower, as a scan is, to need the anchors.
    {"Customer": "Olivia Brown", "OrderNumber": "PO-60318", "OrderDate": "12/05/2024", "Amount": "4,410.25",
     "City": "Seattle", "Items": [("Glass panels", "4,000.00"), ("Sealant", "410.25")]},
]
SHIFTS = [(0, 0), (6, -4), (-5, 3), (3, 7), (-4, -6), (30, 36)]


def render(values: dict, shift: tuple[int, int]) -> tuple[bytes, dict[str, list[list[float]]]]:
    """The form as PNG, and each labelled value's word boxes (normalised, as the Studio writes them)."""
    image = Image.new("L", SIZE, 255)
    draw = ImageDraw.Draw(image)
    dx, dy = shift
    boxes: dict[str, list[list[float]]] = {}

    def words(key: str, text: str, x: int, y: int) -> None:
        for word in text.split():
            draw.text((x + dx, y + dy), word, font=FONT, fill=0)
            left, top, right, bottom = draw.textbbox((x + dx, y + dy), word, font=FONT)
            boxes.setdefault(key, []).append([left / SIZE[0], top / SIZE[1], right / SIZE[0], top / SIZE[1],
                                              right / SIZE[0], bottom / SIZE[1], left / SIZE[0], bottom / SIZE[1]])
            x += int(FONT.getlength(word + " "))

    draw.text((100 + dx, 120 + dy), "MERIDIAN SUPPLY ORDER FORM", font=BOLD, fill=0)
    draw.text((100 + dx, 200 + dy), "Fill in every box. Keep a copy for your records.", font=FONT, fill=0)
    for key, label, y in FIELDS:
        draw.text((100 + dx, y + dy), label, font=FONT, fill=0)
        words(key, values[key], 480, y)
    draw.text((100 + dx, 720 + dy), "Description", font=FONT, fill=0)
    draw.text((800 + dx, 720 + dy), "Price", font=FONT, fill=0)
    for row, (description, price) in enumerate(values["Items"]):
        words(f"Items/{row}/Description", description, 100, ROWS_Y[row])
        words(f"Items/{row}/Price", price, 800, ROWS_Y[row])
    draw.text((100 + dx, 1450 + dy), "Meridian Supply Company, 12 Harbor Road, Tacoma", font=FONT, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue(), boxes


def fields_json() -> dict:
    return {"$schema": "https://schema.cognitiveservices.azure.com/formrecognizer/2021-03-01/fields.json",
            "fields": [*({"fieldKey": k, "fieldType": TYPES[k], "fieldFormat": "not-specified"} for k, _, _ in FIELDS),
                       {"fieldKey": "Items", "fieldType": "array", "itemType": "Items_object"}],
            "definitions": {"Items_object": {"fieldKey": "Items_object", "fieldType": "object", "fields": [
                {"fieldKey": "Description", "fieldType": "string", "fieldFormat": "not-specified"},
                {"fieldKey": "Price", "fieldType": "number", "fieldFormat": "not-specified"}]}}}


def labels_json(document: str, values: dict, boxes: dict) -> dict:
    def text(key: str) -> str:
        if key.startswith("Items/"):
            _, row, column = key.split("/")
            return values["Items"][int(row)][0 if column == "Description" else 1]
        return values[key]

    return {"$schema": "https://schema.cognitiveservices.azure.com/formrecognizer/2021-03-01/labels.json",
            "document": document,
            "labels": [{"label": key, "value": [{"page": 1, "text": text(key), "boundingBoxes": key_boxes}]}
                       for key, key_boxes in boxes.items()]}


def layout_json(url: str, data: bytes) -> dict:
    """What the Studio saves as <doc>.ocr.json: the prebuilt-layout operation's response."""
    submitted = requests.post(f"{url}/formrecognizer/documentModels/prebuilt-layout:analyze?api-version=2023-07-31",
                              data=data, headers={"Content-Type": "application/octet-stream"}, timeout=60)
    assert submitted.status_code == 202, submitted.text
    while True:
        polled = requests.get(submitted.headers["Operation-Location"], timeout=60).json()
        if polled["status"] in ("succeeded", "failed"):
            assert polled["status"] == "succeeded", polled
            return polled
        time.sleep(0.3)


@pytest.fixture(scope="module")
def custom_server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("document-custom")
    (folder / "output").mkdir()
    (folder / "shared").mkdir()
    settings = ["Services=document", f"Mounts:Shared={folder / 'shared'}"]
    server = ServerProcess(settings=settings, log_path=folder / "server.log", output_dir=folder / "output")
    server.start()
    server.folder = folder
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def training(custom_server) -> dict:
    """The labelling files of the five samples, written to a shared-mount folder and zipped."""
    folder = custom_server.folder / "shared" / "training" / "orders"
    folder.mkdir(parents=True)
    files = {"fields.json": json.dumps(fields_json()).encode()}
    for number, (values, shift) in enumerate(zip(FORMS[:5], SHIFTS[:5], strict=True), 1):
        document = f"order{number}.png"
        png, boxes = render(values, shift)
        files[document] = png
        files[f"{document}.labels.json"] = json.dumps(labels_json(document, values, boxes)).encode()
        files[f"{document}.ocr.json"] = json.dumps(layout_json(custom_server.url, png)).encode()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {"folder": folder, "files": files, "zip": zipped(files), "sixth": render(FORMS[5], SHIFTS[5])[0]}


def zipped(files: dict[str, bytes]) -> str:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"orders/{name}", data)
    return base64.b64encode(out.getvalue()).decode()


def spans_text(content: str, spans) -> str:
    return " ".join(content[s.offset:s.offset + s.length] for s in spans)


def test_build_from_shared_folder_and_analyze_with_formrecognizer(custom_server, training):
    admin = DocumentModelAdministrationClient(custom_server.url, KEY)
    started = time.perf_counter()
    model = admin.begin_build_document_model("template", blob_container_url=training["folder"].as_uri(),
                                             model_id="orders-fr", description="order forms").result()
    elapsed = time.perf_counter() - started
    stored = json.loads((custom_server.folder / "shared" / "document-models" / "orders-fr.json").read_bytes())
    # The SDK waits Retry-After (1 s) before its first poll: the build itself is the stored figure.
    print(f"\nbuild: {stored['details']['buildSeconds'] / 5 * 1000:.1f} ms per labelled sample in the job, "
          f"{elapsed / 5 * 1000:.0f} ms over the API with the SDK's polling")
    assert model.model_id == "orders-fr" and model.description == "order forms"
    doc_type = model.doc_types["orders-fr"]
    assert doc_type.build_mode == "template"
    assert doc_type.field_schema["OrderDate"]["type"] == "date"
    assert doc_type.field_schema["Items"]["items"]["properties"]["Price"]["type"] == "number"
    # The five samples put each value in one place: their boxes agree.
    assert all(0.5 < doc_type.field_confidence[k] <= 1 for k, _, _ in FIELDS)

    result = DocumentAnalysisClient(custom_server.url, KEY).begin_analyze_document(
        "orders-fr", training["sixth"]).result()
    [document] = result.documents
    fields = document.fields
    assert document.doc_type == "orders-fr" and result.model_id == "orders-fr"
    assert document.confidence > 0.8  # most of the form's printed words were found in place
    gold = FORMS[5]
    assert fields["Customer"].value == gold["Customer"]
    assert fields["OrderNumber"].value == gold["OrderNumber"]
    assert fields["OrderDate"].value == datetime.date(2024, 12, 5)
    assert fields["Amount"].value == pytest.approx(4410.25)
    assert fields["City"].value == gold["City"]
    assert spans_text(result.content, fields["Customer"].spans) == fields["Customer"].content
    [region] = fields["Customer"].bounding_regions
    left = min(p.x for p in region.polygon)
    assert region.page_number == 1 and 480 + 30 - 5 <= left <= 480 + 30 + 5  # where the value was printed
    assert 0.3 < fields["Customer"].confidence <= 1
    items = fields["Items"].value
    assert [i.value["Description"].value for i in items] == [d for d, _ in gold["Items"]]
    assert [i.value["Price"].value for i in items] == pytest.approx([4000.0, 410.25])


def test_build_from_zip_with_documentintelligence(custom_server, training):
    admin = DocumentIntelligenceAdministrationClient(custom_server.url, KEY)
    started = time.perf_counter()
    # base64Source is the container's extension of BuildDocumentModelRequest: sent as the JSON body.
    model = admin.begin_build_document_model({"modelId": "orders-di", "buildMode": "template",
                                              "base64Source": training["zip"], "tags": {"team": "ops"}}).result()
    print(f"\nbuild from a zip over the API: {(time.perf_counter() - started) / 5 * 1000:.0f} ms per labelled sample")
    assert model.model_id == "orders-di" and model.tags == {"team": "ops"} and model.build_mode == "template"
    assert set(model.doc_types["orders-di"].field_schema) == {*TYPES, "Items"}

    client = DocumentIntelligenceClient(custom_server.url, KEY)
    result = client.begin_analyze_document("orders-di", training["sixth"]).result()
    [document] = result.documents
    fields = document.fields
    assert fields["Customer"].value_string == "Olivia Brown"
    assert fields["OrderDate"].value_date == datetime.date(2024, 12, 5)
    assert fields["Amount"].value_number == pytest.approx(4410.25)
    assert fields["Items"].value_array[1].value_object["Description"].value_string == "Sealant"

    listed = {m.model_id for m in admin.list_models()}
    assert {"orders-di", "prebuilt-layout"} <= listed
    assert admin.get_model("orders-di").doc_types["orders-di"].field_confidence["Customer"] > 0.5
    assert admin.get_resource_details().custom_document_models.count >= 1


def test_models_survive_a_restart_and_delete(custom_server, training):
    admin = DocumentModelAdministrationClient(custom_server.url, KEY)
    admin.begin_build_document_model("template", blob_container_url=training["folder"].as_uri(),
                                     model_id="orders-restart").result()
    count = admin.get_resource_details().custom_document_models.count
    custom_server.stop()
    custom_server.start()
    assert admin.get_document_model("orders-restart").doc_types["orders-restart"].build_mode == "template"
    assert admin.get_resource_details().custom_document_models.count == count
    admin.delete_document_model("orders-restart")
    with pytest.raises(ResourceNotFoundError):
        admin.get_document_model("orders-restart")
    assert admin.get_resource_details().custom_document_models.count == count - 1


def _build_error(custom_server, files: dict[str, bytes]) -> str:
    admin = DocumentIntelligenceAdministrationClient(custom_server.url, KEY)
    poller = admin.begin_build_document_model({"modelId": "orders-bad", "buildMode": "template",
                                               "base64Source": zipped(files)})
    with pytest.raises(HttpResponseError) as caught:
        poller.result()
    return str(caught.value)


def test_build_with_no_labels(custom_server, training):
    files = {n: d for n, d in training["files"].items() if not n.endswith(".labels.json")}
    assert "No labelled document" in _build_error(custom_server, files)
    empty = dict(files, **{"order1.png.labels.json": json.dumps({"document": "order1.png", "labels": []}).encode()})
    assert "No labelled document" in _build_error(custom_server, empty)


def test_build_with_labels_outside_the_page(custom_server, training):
    labels = json.loads(training["files"]["order2.png.labels.json"])
    labels["labels"][0]["value"][0]["boundingBoxes"] = [[0.4, 0.2, 1.6, 0.2, 1.6, 0.25, 0.4, 0.25]]
    files = dict(training["files"], **{"order2.png.labels.json": json.dumps(labels).encode()})
    message = _build_error(custom_server, files)
    assert "points outside page 1" in message and "Customer" in message


def test_unknown_model_and_what_is_not_offered(custom_server, training):
    with pytest.raises(ResourceNotFoundError) as caught:
        DocumentAnalysisClient(custom_server.url, KEY).begin_analyze_document("no-such-model", training["sixth"])
    assert "no-such-model" in caught.value.message and "documentModels:build" in caught.value.message
    admin = DocumentModelAdministrationClient(custom_server.url, KEY)
    with pytest.raises(HttpResponseError) as caught:
        admin.begin_build_document_model("neural", blob_container_url=training["folder"].as_uri())
    assert "template" in str(caught.value)
    with pytest.raises(HttpResponseError) as caught:
        admin.begin_build_document_model("template", blob_container_url="https://acct.blob.core.windows.net/train")
    assert "base64Source" in str(caught.value) and "shared mount" in str(caught.value)
    with pytest.raises(HttpResponseError) as caught:
        admin.begin_compose_document_model(["orders-fr"])
    assert "not offered" in str(caught.value)


FR_SPEC = "specification/cognitiveservices/data-plane/FormRecognizer/stable/2023-07-31/FormRecognizer.json"
DI_SPEC = "specification/ai/data-plane/DocumentIntelligence/stable/2024-11-30/DocumentIntelligence.json"


@pytest.mark.parametrize("base,version,spec", [("formrecognizer", "2023-07-31", FR_SPEC),
                                               ("documentintelligence", "2024-11-30", DI_SPEC)])
def test_wire_shapes_follow_the_specs(custom_server, training, base, version, spec):
    url = f"{custom_server.url}/{base}"
    model_id = f"orders-wire-{base}"
    r = requests.post(f"{url}/documentModels:build?api-version={version}", timeout=60,
                      json={"modelId": model_id, "buildMode": "template", "base64Source": training["zip"]})
    assert r.status_code == 202 and r.headers["Operation-Location"].startswith(f"{url}/operations/")
    while (operation := requests.get(r.headers["Operation-Location"], timeout=60).json())["status"] not in (
            "succeeded", "failed"):
        time.sleep(0.2)
    assert operation["status"] == "succeeded" and operation["kind"] == "documentModelBuild"
    validate_definition(spec, "DocumentModelBuildOperationDetails", operation)
    details = requests.get(f"{url}/documentModels/{model_id}?api-version={version}", timeout=60).json()
    validate_definition(spec, "DocumentModelDetails", details)
    listed = requests.get(f"{url}/documentModels?api-version={version}", timeout=60).json()
    validate_definition(spec, "GetDocumentModelsResponse" if base == "formrecognizer" else "PagedDocumentModelDetails",
                        listed, strict=False)
    again = requests.post(f"{url}/documentModels:build?api-version={version}", timeout=60,
                          json={"modelId": model_id, "buildMode": "template", "base64Source": training["zip"]})
    assert again.status_code == 409 and again.json()["error"]["innererror"]["code"] == "ModelExists"
    assert requests.delete(f"{url}/documentModels/{model_id}?api-version={version}", timeout=60).status_code == 204
    gone = requests.get(f"{url}/documentModels/{model_id}?api-version={version}", timeout=60)
    assert gone.status_code == 404 and gone.json()["error"]["innererror"]["code"] == "ModelNotFound"
