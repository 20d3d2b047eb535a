"""The contract validator itself: it must reject what the Swagger files forbid, not only pass."""

from __future__ import annotations

import copy
import json

import pytest

from tests.support.contract import (
    LANGUAGE_2023_04_01,
    TEXT_ANALYTICS_V3_0,
    TEXT_ANALYTICS_V3_1,
    ContractViolation,
    declared_headers,
    validate_definition,
    validate_response,
)

DETECTION = {
    "documents": [{"id": "1", "detectedLanguage": {"name": "English", "iso6391Name": "en", "confidenceScore": 1.0},
                   "warnings": []}],
    "errors": [],
    "modelVersion": "2026-11-01",
}
LANGUAGE = {"kind": "LanguageDetectionResults", "results": DETECTION}
ANALYZE = "/language/:analyze-text"


def rejects(spec, path, status, body, *fragments, strict=True):
    with pytest.raises(ContractViolation) as caught:
        validate_response(spec, path, "post", status, body, strict=strict)
    for fragment in fragments:
        assert fragment in str(caught.value)
    return str(caught.value)


def mutate(body, change):
    body = copy.deepcopy(body)
    change(body)
    return body


@pytest.mark.parametrize("spec, path, body", [
    (TEXT_ANALYTICS_V3_0, "/languages", DETECTION),
    (TEXT_ANALYTICS_V3_1, "/text/analytics/v3.1/languages", DETECTION),
    (LANGUAGE_2023_04_01, ANALYZE, LANGUAGE),
    (LANGUAGE_2023_04_01, "/language/:analyze-text", LANGUAGE),
])
def test_valid_bodies_pass(spec, path, body):
    assert validate_response(spec, path, "post", 200, body).startswith("#/definitions/")


def test_missing_required_field_is_rejected():
    no_warnings = mutate(LANGUAGE, lambda b: b["results"]["documents"][0].pop("warnings"))
    rejects(LANGUAGE_2023_04_01, ANALYZE, 200, no_warnings, "'warnings' is a required property",
            "$.results.documents[0]")
    no_model = mutate(DETECTION, lambda b: b.pop("modelVersion"))
    rejects(TEXT_ANALYTICS_V3_1, "/languages", 200, no_model, "'modelVersion' is a required property")
    no_iso = mutate(DETECTION, lambda b: b["documents"][0]["detectedLanguage"].pop("iso6391Name"))
    rejects(TEXT_ANALYTICS_V3_0, "/languages", 200, no_iso, "iso6391Name")


def test_wrong_type_is_rejected():
    score = mutate(DETECTION, lambda b: b["documents"][0]["detectedLanguage"].update(confidenceScore="high"))
    rejects(TEXT_ANALYTICS_V3_1, "/languages", 200, score, "'high' is not of type 'number'")
    docs = mutate(LANGUAGE, lambda b: b["results"].update(documents={"id": "1"}))
    rejects(LANGUAGE_2023_04_01, ANALYZE, 200, docs, "is not of type 'array'")
    count = mutate(DETECTION, lambda b: b.update(statistics={"documentsCount": "1", "validDocumentsCount": 1,
                                                             "erroneousDocumentsCount": 0, "transactionsCount": 1}))
    rejects(TEXT_ANALYTICS_V3_1, "/languages", 200, count, "is not of type 'integer'")


def test_closed_enum_rejects_other_values_and_extensible_enum_does_not():
    # v3.0 declares its error codes lowerCamel with modelAsString false: PascalCase is a violation.
    rejects(TEXT_ANALYTICS_V3_0, "/languages", 400, {"code": "InvalidRequest", "message": "m"},
            "'InvalidRequest' is not one of ['invalidRequest'")
    validate_response(TEXT_ANALYTICS_V3_0, "/languages", "post", 400, {"code": "invalidRequest", "message": "m"})
    warning = mutate(DETECTION, lambda b: b["documents"][0].update(warnings=[{"code": "Whatever", "message": "m"}]))
    rejects(TEXT_ANALYTICS_V3_0, "/languages", 200, warning, "'Whatever' is not one of")
    # v3.1 and the Language API mark their codes modelAsString: new values are allowed.
    validate_response(TEXT_ANALYTICS_V3_1, "/languages", "post", 200, warning)
    validate_response(LANGUAGE_2023_04_01, ANALYZE, "post", 400,
                      {"error": {"code": "SomethingNew", "message": "m", "innererror": {"code": "New", "message": "m"}}})


def test_discriminator_dispatches_on_kind():
    rejects(LANGUAGE_2023_04_01, ANALYZE, 200, {**LANGUAGE, "kind": "Nonsense"}, "'Nonsense' is not one of")
    rejects(LANGUAGE_2023_04_01, ANALYZE, 200, {"results": DETECTION}, "'kind' is a required property")
    # A detection result set labelled as sentiment must match the sentiment subtype, and does not.
    rejects(LANGUAGE_2023_04_01, ANALYZE, 200, {**LANGUAGE, "kind": "SentimentAnalysisResults"},
            "'sentiment' is a required property")


def test_strict_mode_rejects_undeclared_fields():
    typo = mutate(DETECTION, lambda b: b["documents"][0].update(statistic={"charactersCount": 1}))
    rejects(TEXT_ANALYTICS_V3_1, "/languages", 200, typo, "'statistic' was unexpected")
    validate_response(TEXT_ANALYTICS_V3_1, "/languages", "post", 200, typo, strict=False)
    extra = {**LANGUAGE, "extra": 1}
    rejects(LANGUAGE_2023_04_01, ANALYZE, 200, extra, "'extra' was unexpected")


def test_error_status_uses_the_default_response():
    body = {"error": {"code": "InvalidRequest", "message": "m", "innererror": {"code": "EmptyRequest", "message": "m"}}}
    assert validate_response(LANGUAGE_2023_04_01, ANALYZE, "post", 400, body) == "#/definitions/ErrorResponse"
    rejects(LANGUAGE_2023_04_01, ANALYZE, 400, {"error": {"code": "InvalidRequest"}}, "'message' is a required")
    rejects(TEXT_ANALYTICS_V3_1, "/languages", 413, {"error": {"code": "InvalidRequest", "message": 5}},
            "5 is not of type 'string'")
    assert "x-ms-error-code" in declared_headers(LANGUAGE_2023_04_01, ANALYZE, "post", 400)


def test_response_without_schema_needs_an_empty_body():
    validate_response(LANGUAGE_2023_04_01, "/language/analyze-text/jobs", "post", 202, None)
    rejects(LANGUAGE_2023_04_01, "/language/analyze-text/jobs", 202, {"jobId": "x"}, "declares no body")


def test_unknown_operation_names_the_known_ones():
    with pytest.raises(KeyError, match="POST /languages"):
        validate_response(TEXT_ANALYTICS_V3_0, "/nothing", "post", 200, {})
    with pytest.raises(KeyError):
        validate_response(TEXT_ANALYTICS_V3_0, "/languages", "get", 200, {})
    with pytest.raises(KeyError):
        validate_definition(TEXT_ANALYTICS_V3_0, "NoSuchDefinition", {})


def test_path_templates_and_definitions():
    state = {"jobId": "j", "createdDateTime": "2026-01-01T00:00:00Z", "lastUpdatedDateTime": "2026-01-01T00:00:00Z",
             "status": "running", "tasks": {"completed": 0, "failed": 0, "inProgress": 1, "total": 1}}
    validate_response(LANGUAGE_2023_04_01, "/language/analyze-text/jobs/abc-123", "get", 200, state)
    rejects_state = {**state, "status": 7}
    with pytest.raises(ContractViolation):
        validate_response(LANGUAGE_2023_04_01, "/language/analyze-text/jobs/abc-123", "get", 200, rejects_state)
    validate_definition(TEXT_ANALYTICS_V3_0, "TextAnalyticsError", {"code": "invalidArgument", "message": "m"})


def test_cross_file_refs_nullable_and_nested_subtypes(tmp_path):
    """A two-file contract: $ref into another file, x-nullable, a discriminator two levels deep."""
    common = {"swagger": "2.0", "definitions": {
        "Stats": {"type": "object", "required": ["count"], "properties": {"count": {"type": "integer"}}},
        "Named": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
    }}
    main = {"swagger": "2.0", "paths": {"/things/{id}": {"get": {"responses": {
        "200": {"schema": {"$ref": "#/definitions/Thing"}},
        "default": {"schema": {"$ref": "./common.json#/definitions/Stats"}},
    }}}}, "definitions": {
        "Thing": {"type": "object", "discriminator": "kind", "required": ["kind"],
                  "properties": {"kind": {"type": "string"}, "note": {"type": "string", "x-nullable": True}}},
        "Shape": {"allOf": [{"$ref": "#/definitions/Thing"}], "x-ms-discriminator-value": "shape",
                  "properties": {"stats": {"$ref": "./common.json#/definitions/Stats"}}},
        "Circle": {"allOf": [{"$ref": "#/definitions/Shape"}], "x-ms-discriminator-value": "circle",
                   "required": ["radius"], "properties": {"radius": {"type": "number"}}},
        "Label": {"allOf": [{"$ref": "./common.json#/definitions/Named"}], "properties": {"size": {"type": "integer"}}},
    }}
    (tmp_path / "common.json").write_text(json.dumps(common))
    (tmp_path / "main.json").write_text(json.dumps(main))
    spec = tmp_path / "main.json"

    validate_response(spec, "/things/7", "get", 200, {"kind": "circle", "radius": 1.5, "note": None,
                                                     "stats": {"count": 2}})
    validate_response(spec, "/things/7", "get", 500, {"count": 1})
    for body, fragment in [
        ({"kind": "circle"}, "'radius' is a required property"),
        ({"kind": "circle", "radius": 1, "stats": {"count": "two"}}, "'two' is not of type 'integer'"),
        ({"kind": "shape", "note": 5}, "5 is not valid under any of the given schemas"),
        ({"kind": "square"}, "'square' is not one of ['circle', 'shape']"),
        ({"kind": "shape", "radius": 1}, "'radius' was unexpected"),
    ]:
        with pytest.raises(ContractViolation, match=fragment.replace("[", r"\[").replace("(", r"\(")):
            validate_response(spec, "/things/7", "get", 200, body)
    with pytest.raises(ContractViolation, match="'count' is a required property"):
        validate_response(spec, "/things/7", "get", 404, {})
    # A parent in another file is extended, not closed against the child's fields.
    validate_definition(spec, "Label", {"name": "n", "size": 3})
    with pytest.raises(ContractViolation, match="'name' is a required property"):
        validate_definition(spec, "Label", {"size": 3})
    with pytest.raises(ContractViolation, match="'colour' was unexpected"):
        validate_definition(spec, "Label", {"name": "n", "colour": "red"})
