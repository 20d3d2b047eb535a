"""The settings of ``airgap studio``: where API requests go, and whose ``/ready`` to merge.

Declared as a settings section, so they are read as every airgap setting is (``Key=Value`` over
environment variables, ``:`` or ``__``, any case) and listed in ``docs/configuration.md``. The
module is light (no web framework), so the command line registers it before parsing
(``services.registry.SETTINGS_MODULES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from airgap.platform.settings import Section, SettingSpec

DEFAULT_UPSTREAM = "http://nginx:5000"


def _parse_url(raw: str) -> str:
    """An http(s) base URL without query or fragment; the trailing ``/`` dropped."""
    value = raw.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"expected an http:// or https:// URL such as http://nginx:5000, got {raw!r}")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError(f"expected a URL with a numeric port, got {raw!r}") from None
    return value


def _parse_ready(raw: str) -> tuple[str, ...]:
    """``name=url`` items (or bare URLs, named by their host), comma- or semicolon-separated.

    Kept as ``name=url`` strings, so that the parsed value prints back as it was given.
    """
    items = []
    for item in raw.replace(";", ",").split(","):
        if not item.strip():
            continue
        name, sep, url = item.partition("=")
        if not sep:
            name, url = "", item
        url = _parse_url(url)
        name = name.strip() or (urlsplit(url).hostname or url)
        items.append(f"{name}={url}")
    return tuple(items)


@dataclass(frozen=True)
class StudioSettings:
    upstream: str = DEFAULT_UPSTREAM
    ready: tuple[str, ...] = ()

    def ready_targets(self) -> tuple[tuple[str, str], ...]:
        """(name, base URL) of each server whose ``/ready`` is merged; the upstream alone when unset."""
        if not self.ready:
            return (("upstream", self.upstream),)
        return tuple((name, url) for name, _, url in (item.partition("=") for item in self.ready))


STUDIO: Section[StudioSettings] = Section(
    specs=(
        SettingSpec("Studio:Upstream", "upstream", _parse_url, DEFAULT_UPSTREAM,
                    "airgap studio: the URL every API request of the page is passed to (the compose "
                    "stack's nginx front)."),
        SettingSpec("Studio:Ready", "ready", _parse_ready, (),
                    "airgap studio: name=URL of each service's own server, comma-separated; GET /ready "
                    "merges their services (one that does not answer is left out).",
                    unset_text="(Studio:Upstream)"),
    ),
    build=StudioSettings,
)
