"""The settings of ``airgap studio``: where API requests go, and whose ``/ready`` to merge.

``Studio:Routes`` (``prefix=URL,...``) sends the paths under a prefix to that server, matched as
airgap matches its own routes (``platform.routing.PathTable``: whole segment, any case, the
longest prefix first); every other path goes to ``Studio:Upstream``. Compose has one front that
routes by path (nginx), so it needs no routes; Kubernetes has one Service per service and no such
front, so the Helm chart writes one route per prefix of each enabled service.

Declared as a settings section, so they are read as every airgap setting is (``Key=Value`` over
environment variables, ``:`` or ``__``, any case) and listed in ``docs/configuration.md``. The
module is light (no web framework), so the command line registers it before parsing
(``services.registry.SETTINGS_MODULES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from airgap.platform.routing import PathTable, RouteConflict
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


def _parse_routes(raw: str) -> tuple[str, ...]:
    """``/prefix=url`` items, comma- or semicolon-separated; kept as given, checked for clashes."""
    items = []
    for item in raw.replace(";", ",").split(","):
        if not item.strip():
            continue
        prefix, sep, url = item.partition("=")
        prefix = prefix.strip()
        if not sep or not prefix.startswith("/") or prefix == "/":
            raise ValueError(f"expected /prefix=URL items such as /speech=http://speech:5000, got {item.strip()!r}")
        items.append(f"{prefix}={_parse_url(url)}")
    try:
        _table(tuple(items))
    except RouteConflict as exc:
        raise ValueError(str(exc)) from None
    return tuple(items)


def _table(routes: tuple[str, ...]) -> PathTable[str]:
    table: PathTable[str] = PathTable()
    for item in routes:
        prefix, _, url = item.partition("=")
        table.add(prefix, url, f"Studio:Routes {item}")
    return table


@dataclass(frozen=True)
class StudioSettings:
    upstream: str = DEFAULT_UPSTREAM
    ready: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()

    def route_table(self) -> PathTable[str]:
        """Path prefix -> the base URL its requests go to (``Studio:Routes``)."""
        return _table(self.routes)

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
        SettingSpec("Studio:Routes", "routes", _parse_routes, (),
                    "airgap studio: /prefix=URL items, comma-separated: requests whose path is under a prefix "
                    "(whole segment, any case, longest first) go to that URL, every other to Studio:Upstream. "
                    "For services with no front that routes by path (Kubernetes: the Helm chart sets it).",
                    unset_text="(none: everything to Studio:Upstream)"),
    ),
    build=StudioSettings,
)
