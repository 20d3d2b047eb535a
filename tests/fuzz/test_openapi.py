"""Schemathesis over the server's own OpenAPI document: no operation answers a server error.

Many bodies are described loosely there (binary uploads, open JSON objects), so this mostly sends
shallow garbage to every route; ``test_mutations.py`` goes deeper from valid requests.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from tests.fuzz.wire import SEEN, check_response
from tests.support.server import ServerProcess

EXAMPLES_PER_OPERATION = 15

# Speech uploads (audio/wav, audio/ogg) are binary bodies like application/octet-stream.
schemathesis.serializer.alias(["audio/wav", "audio/ogg"], "application/octet-stream")
SENT: list[tuple[str, int]] = []


def test_no_operation_answers_a_server_error(fuzz_server: ServerProcess) -> None:
    # Loaded from the live server, so the pytest plugin's collection-time parametrisation is not used.
    schema = schemathesis.openapi.from_url(f"{fuzz_server.url}/swagger/v1/swagger.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30, "the OpenAPI document lost operations"
    # Positive cases fit the schema; negative ones break it on purpose (wrong types, missing required).
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, fuzz_server.url)
    # Each operation really was exercised (an enum-only GET runs out of distinct cases sooner).
    assert len(SENT) >= 8 * len(operations), len(SENT)


def _fuzz(operation, mode: GenerationMode, base_url: str) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        response = case.call(base_url=base_url, timeout=120)
        SENT.append((f"{case.method} {case.path}", response.status_code))
        SEEN[(f"{case.method} {case.path} (openapi {mode.value})", response.status_code)] += 1
        case.validate_response(response, checks=[not_a_server_error])
        check_response(response.status_code, response.headers, response.content,
                       f"{case.method} {case.formatted_path} {case.query!r} {case.body!r}"[:2000])

    try:
        run()
    except Unsatisfiable:
        # An operation whose schema has nothing to break (no parameters, no body) has no negative cases.
        if mode is GenerationMode.POSITIVE:
            raise

