"""Documentation completeness: every setting and every declared meter is documented.

The tables are the user's contract; these tests fail when code adds a setting or a meter
without its documentation row (in the spirit of datasette's documentation tests).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from airgap.platform.settings import SettingSpec, all_specs
from airgap.services.registry import BUNDLED, import_settings

import_settings()  # the services' own sections (Ocr:Engine, ...) are documented like the platform's
ALL_SETTINGS = all_specs()


DOCS = Path(__file__).resolve().parents[2] / "docs"


def _table_rows(page: str) -> dict[str, list[str]]:
    """Markdown table rows keyed by their first cell without backticks."""
    rows = {}
    for line in (DOCS / page).read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[cells[0].strip("`")] = cells
    return rows


def _env_name(spec: SettingSpec) -> str:
    return spec.key.upper().replace(":", "__")


@pytest.mark.parametrize("spec", ALL_SETTINGS, ids=lambda s: s.key)
def test_every_setting_has_a_row_in_configuration_md(spec):
    rows = _table_rows("configuration.md")
    assert spec.key in rows, f"docs/configuration.md has no table row for setting {spec.key}"
    key, env, default, meaning, example = rows[spec.key][:5]
    assert env == f"`{_env_name(spec)}`", f"{spec.key}: environment spelling should be {_env_name(spec)}"
    assert default == spec.default_text(), f"{spec.key}: documented default {default!r} != {spec.default_text()!r}"
    assert meaning, f"{spec.key}: no meaning"
    assert re.search(rf"{re.escape(spec.key)}=", example, re.IGNORECASE), f"{spec.key}: no example"


def test_configuration_md_documents_no_setting_that_does_not_exist():
    rows = _table_rows("configuration.md")
    documented = {k for k, cells in rows.items() if len(cells) == 5 and k not in ("Key",)}
    assert documented == {s.key for s in ALL_SETTINGS}


def _bundled_meters() -> list[tuple[str, str]]:
    meters = []
    for name, target in BUNDLED.items():
        module_name, _, attr = target.partition(":")
        service = getattr(importlib.import_module(module_name), attr)
        meters.extend((name, meter.name) for meter in service.meters)
    return meters


@pytest.mark.parametrize(("service", "meter"), _bundled_meters(), ids=lambda v: v)
def test_every_declared_meter_has_a_row_in_metering_md(service, meter):
    rows = _table_rows("metering.md")
    assert meter in rows, f"docs/metering.md has no table row for meter {meter} of service {service}"
    assert service in rows[meter][1], f"{meter}: row should name service {service}"
