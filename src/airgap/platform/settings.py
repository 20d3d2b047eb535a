"""Azure-style container settings, parsed once into an immutable object.

The .NET configuration convention that Azure AI containers follow:

* ``Key=Value`` tokens on the command line, and environment variables;
* keys are case-insensitive and ``:`` and ``__`` are the same separator
  (``Mounts:Output`` == ``MOUNTS__OUTPUT``), because Kubernetes rejects ``:``
  in environment variable names;
* command line over environment over defaults.

Every setting is declared once in ``SETTINGS`` (name, type, default, help);
the CLI help, ``docs/configuration.md`` (checked by a test) and the parser all
read that table. Nothing else in the project reads ``os.environ`` for
configuration.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

log = logging.getLogger("airgap.settings")


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message says which and why."""


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"true", "1", "yes", "on"}:
        return True
    if value in {"false", "0", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


def _parse_int(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValueError(f"expected a whole number, got {raw!r}") from None


def _parse_positive_int(raw: str) -> int:
    value = _parse_int(raw)
    if value < 1:
        raise ValueError(f"expected a number of at least 1, got {raw!r}")
    return value


def _parse_count(raw: str) -> int:
    value = _parse_int(raw)
    if value < 0:
        raise ValueError(f"expected 0 or more, got {raw!r}")
    return value


def _parse_port(raw: str) -> int:
    value = _parse_int(raw)
    if not 0 <= value <= 65535:
        raise ValueError(f"expected a TCP port 0-65535, got {raw!r}")
    return value


def _parse_list(raw: str) -> tuple[str, ...]:
    return tuple(item.strip().lower() for item in raw.replace(";", ",").split(",") if item.strip())


def _parse_values(raw: str) -> tuple[str, ...]:
    """A comma- or semicolon-separated list whose items keep their case (paths, keys)."""
    return tuple(item.strip() for item in raw.replace(";", ",").split(",") if item.strip())


def _parse_non_negative_int(raw: str) -> int:
    value = _parse_int(raw)
    if value < 0:
        raise ValueError(f"expected 0 or more, got {raw!r}")
    return value


def _parse_positive_seconds(raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise ValueError(f"expected a number of seconds, got {raw!r}") from None
    if not value > 0:
        raise ValueError(f"expected more than 0 seconds, got {raw!r}")
    return value


def _parse_path(raw: str) -> Path | None:
    return Path(raw.strip()) if raw.strip() else None


def _parse_required_path(raw: str) -> Path:
    # An empty value would otherwise reach the file system as "no path" and fail far from here.
    if not raw.strip():
        raise ValueError("expected a folder path, got an empty value")
    return Path(raw.strip())


def _parse_str(raw: str) -> str:
    return raw.strip()


def _parse_required_str(raw: str) -> str:
    if not raw.strip():
        raise ValueError("expected a value, got an empty one")
    return raw.strip()


_LOG_LEVELS = {
    "trace": logging.DEBUG,
    "debug": logging.DEBUG,
    "information": logging.INFO,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
    "none": logging.CRITICAL + 10,
}


def _parse_log_level(raw: str) -> str:
    value = raw.strip().lower()
    if value not in _LOG_LEVELS:
        raise ValueError(f"expected one of {', '.join(sorted(_LOG_LEVELS))}, got {raw!r}")
    return value


def _parse_hosts(raw: str) -> tuple[str, ...]:
    hosts = []
    for item in _parse_list(raw):
        host = item.removeprefix("[").removesuffix("]").rstrip(".")
        if "/" in host or host.count(":") == 1 or (host.startswith("*") and not host.startswith("*.")):
            raise ValueError(f"expected host names (no scheme, port or path; '*.' for sub-domains), got {item!r}")
        hosts.append(host)
    return tuple(hosts)


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its Azure-style key, the attribute it fills, how to parse it."""

    key: str
    attr: str
    parse: Callable[[str], Any]
    default: Any
    help: str
    secret: bool = False
    # What an empty default means, for help and docs (e.g. Services: every bundled one).
    unset_text: str = "(unset)"

    @property
    def normalized(self) -> str:
        return normalize_key(self.key)

    def default_text(self) -> str:
        if self.default is None or self.default == ():
            return self.unset_text
        if isinstance(self.default, tuple):
            return ",".join(self.default)
        if isinstance(self.default, bool):
            return "True" if self.default else "False"
        return str(self.default)


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("Eula", "eula", _parse_str, None,
                "Must be 'accept' to start: you accept the licence terms of airgap and its models."),
    SettingSpec("Billing", "billing", _parse_str, None,
                "URL of the licence authority (the stand-in for the Azure resource endpoint)."),
    SettingSpec("ApiKey", "api_key", _parse_str, None,
                "Key of a resource at the authority; used to download a licence or to report usage, "
                "never to authenticate incoming requests.", secret=True),
    SettingSpec("DownloadLicense", "download_license", _parse_bool, False,
                "True: fetch a licence from Billing into Mounts:License and exit."),
    SettingSpec("Mounts:License", "license_dir", _parse_path, None,
                "Folder that holds licence files (disconnected mode)."),
    SettingSpec("Mounts:Output", "output_dir", _parse_required_path, Path("/output"),
                "Folder for usage records and logs; several servers may share it."),
    SettingSpec("Mounts:Shared", "shared_dir", _parse_path, None,
                "Folder for long-running job state shared by replicas (jobs in <folder>/jobs); "
                "unset: <Mounts:Output>/jobs."),
    SettingSpec("Mounts:Models", "models_dir", _parse_path, None,
                "Folder of your own models, as Azure's containers mount /usr/local/models: Translator's "
                "CTranslate2 translation models, Speech's Custom Speech models (a folder per model id)."),
    SettingSpec("Mounts:Input", "input_dir", _parse_path, None,
                "Read-only folder of models to serve from the start, as the LUIS container's /input: "
                "Conversations loads exported LUIS apps ({APP_ID}_PRODUCTION.json/.gz, _STAGING, _v{VERSION}) "
                "and CLU project exports from it."),
    SettingSpec("Services", "services", _parse_list, (),
                "Comma-separated services this server hosts (e.g. language); empty means every bundled one.",
                unset_text="(all bundled)"),
    SettingSpec("Host", "host", _parse_required_str, "0.0.0.0", "Address to listen on."),
    SettingSpec("Port", "port", _parse_port, 5000, "TCP port to listen on."),
    SettingSpec("Workers", "workers", _parse_positive_int, 1,
                "Number of server processes (each loads its own models)."),
    SettingSpec("Threads", "threads", _parse_positive_int, 2,
                "Inference threads per process; CPU work runs there, off the event loop."),
    SettingSpec("Jobs:Processes", "job_processes", _parse_count, 1,
                "Worker processes per CPU-heavy job kind (Vision Read, Document Intelligence analyze), and so "
                "jobs of that kind run at once per server process; each loads its own OCR engine. 0: run that "
                "work in the inference threads instead."),
    SettingSpec("Http:MaxRequestBodyBytes", "max_request_bytes", _parse_positive_int, 1_048_576,
                "Largest request body accepted, in bytes (Azure: 1 MB); larger bodies get 413."),
    SettingSpec("Http:MaxFileBytes", "max_file_bytes", _parse_positive_int, 52_428_800,
                "Largest image or document upload (Vision Read, Document Intelligence), in bytes; "
                "larger files get 413 InvalidImageSize."),
    SettingSpec("Http:UrlSourceHosts", "url_source_hosts", _parse_hosts, (),
                "Hosts the server may fetch url/urlSource files from (Vision Read, Document Intelligence), "
                "comma-separated; '*.example.org' for its sub-domains. Empty: URL sources are refused.",
                unset_text="(off)"),
    SettingSpec("Http:UrlSourceTimeoutSeconds", "url_source_timeout", _parse_positive_int, 10,
                "Seconds allowed for downloading one url/urlSource file, redirects included."),
    SettingSpec("Logging:Console:LogLevel:Default", "log_level", _parse_log_level, "information",
                "Console log level: Trace, Debug, Information, Warning, Error, Critical, None."),
    SettingSpec("Licensing:TrustedKeys", "trusted_keys", _parse_values, (),
                "Public keys of the licence authorities this server trusts, comma-separated: PEM or "
                "key files, PEM text, or base64 raw Ed25519 keys. Only these verify a licence; a key "
                "carried inside a licence is never used."),
    SettingSpec("Licensing:ClockSkewSeconds", "clock_skew", _parse_int, 60,
                "Seconds a licence is still accepted before its not-before time and after its expiry, "
                "for clocks that differ between the authority and this host."),
    SettingSpec("Licensing:ReportIntervalSeconds", "report_interval", _parse_positive_int, 600,
                "Connected mode: seconds between usage reports to Billing."),
    SettingSpec("Licensing:MaxFailedReports", "max_failed_reports", _parse_positive_int, 10,
                "Connected mode: consecutive failed usage reports after which API requests are "
                "refused (403) until a report succeeds again."),
    SettingSpec("Auth:SubscriptionKeys", "subscription_keys", _parse_values, (),
                "Optional inbound auth: when set, every API request must carry one of these keys in "
                "Ocp-Apim-Subscription-Key (health and report routes stay open). Off by default, as "
                "in Azure's containers.", secret=True),
)

# Keys whose first section belongs to us: an environment variable under one of
# these that matches no setting is probably a typo, so it is warned about.
# Other environment variables (PATH, HOME, ...) are simply not ours.
_OWNED_SECTIONS = {"mounts", "logging", "http", "licensing", "auth", "metering", "jobs"}

_BY_KEY: dict[str, SettingSpec] = {}


def normalize_key(key: str) -> str:
    return key.strip().replace("__", ":").lower()


def _register(specs: Iterable[SettingSpec]) -> None:
    for spec in specs:
        _BY_KEY[spec.normalized] = spec


_register(SETTINGS)

T = TypeVar("T")


@dataclass(frozen=True)
class Section(Generic[T]):
    """Settings that one part of airgap owns (a service, a shared engine such as OCR).

    Declared next to the code that reads them, e.g. ``airgap/ocr/settings.py``; creating
    one registers its keys, so the module must be imported before ``Settings.load``
    (``services.registry.import_settings()`` does it for every bundled service). The
    values are parsed with the platform's, with the same rules, and read back typed with
    ``settings.section(SECTION)``.
    """

    specs: tuple[SettingSpec, ...]
    build: Callable[..., T]

    def __post_init__(self) -> None:
        for spec in self.specs:
            known = _BY_KEY.get(spec.normalized)
            if known is not None and known is not spec:
                raise ValueError(f"setting {spec.key} is declared twice")
        _register(self.specs)
        for spec in self.specs:
            _OWNED_SECTIONS.add(spec.normalized.split(":", 1)[0])
        if self not in _SECTIONS:
            _SECTIONS.append(self)

    def parse(self, values: Mapping[str, Any]) -> T:
        return self.build(**{spec.attr: values.get(spec.normalized, spec.default) for spec in self.specs})


_SECTIONS: list[Section[Any]] = []


def all_specs() -> tuple[SettingSpec, ...]:
    """The platform's settings and those of every section registered so far."""
    return SETTINGS + tuple(spec for section in _SECTIONS for spec in section.specs)


def _is_platform(spec: SettingSpec) -> bool:
    return spec in SETTINGS


@dataclass(frozen=True)
class Settings:
    """The parsed, typed settings. Build with ``Settings.load`` or ``Settings.from_mapping``."""

    eula: str | None = None
    billing: str | None = None
    api_key: str | None = None
    download_license: bool = False
    license_dir: Path | None = None
    output_dir: Path = Path("/output")
    shared_dir: Path | None = None
    models_dir: Path | None = None
    input_dir: Path | None = None
    services: tuple[str, ...] = ()
    host: str = "0.0.0.0"
    port: int = 5000
    workers: int = 1
    threads: int = 2
    job_processes: int = 1
    max_request_bytes: int = 1_048_576
    max_file_bytes: int = 52_428_800
    url_source_hosts: tuple[str, ...] = ()
    url_source_timeout: int = 10
    log_level: str = "information"
    trusted_keys: tuple[str, ...] = ()
    clock_skew: int = 60
    report_interval: int = 600
    max_failed_reports: int = 10
    subscription_keys: tuple[str, ...] = ()
    # Keys given on the command line or in the environment that match no setting.
    unknown: tuple[str, ...] = field(default=(), compare=False)
    # Values of section settings (``Section``), by normalized key, as parsed.
    extra: tuple[tuple[str, Any], ...] = ()

    @property
    def eula_accepted(self) -> bool:
        return (self.eula or "").lower() == "accept"

    @property
    def log_level_number(self) -> int:
        return _LOG_LEVELS[self.log_level]

    @classmethod
    def load(cls, argv: Iterable[str] = (), environ: Mapping[str, str] | None = None) -> Settings:
        """Parse ``Key=Value`` tokens over environment variables over defaults."""
        raw: dict[str, tuple[str, str]] = {}  # normalized key -> (key as written, value)
        unknown: list[str] = []
        for name, value in (environ or {}).items():
            key = normalize_key(name)
            if key in _BY_KEY:
                raw[key] = (name, value)
            elif ":" in key and key.split(":", 1)[0] in _OWNED_SECTIONS:
                unknown.append(name)
        for token in argv:
            if "=" not in token:
                raise SettingsError(
                    f"Argument {token!r} is not a setting: write settings as Key=Value, e.g. Eula=accept."
                )
            name, value = token.split("=", 1)
            key = normalize_key(name)
            if not key:
                raise SettingsError(f"Argument {token!r} has an empty key.")
            if key in _BY_KEY:
                raw[key] = (name, value)
            else:
                unknown.append(name)
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, (written, value) in raw.items():
            spec = _BY_KEY[key]
            try:
                parsed = spec.parse(value)
            except ValueError as exc:
                given = "" if written == spec.key else f" (given as {written})"
                raise SettingsError(f"Setting {spec.key}{given}: {exc}.") from None
            if _is_platform(spec):
                values[spec.attr] = parsed
            else:
                extra[key] = parsed
        for name in unknown:
            log.warning("Ignoring unknown setting %r; `airgap serve --help` lists the settings.", name)
        return cls(**values, unknown=tuple(unknown), extra=tuple(sorted(extra.items())))

    def section(self, section: Section[T]) -> T:
        """The typed settings of one section (defaults for keys not given)."""
        return section.parse(dict(self.extra))

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str]) -> Settings:
        """Parse settings given as ``{Key: Value}`` (tests, the serialised worker copy)."""
        return cls.load([f"{k}={v}" for k, v in mapping.items()])

    def to_tokens(self) -> list[str]:
        """The settings as ``Key=Value`` tokens, so that worker processes re-parse the same values."""
        tokens = []
        extra = dict(self.extra)
        for spec in all_specs():
            value = getattr(self, spec.attr) if _is_platform(spec) else extra.get(spec.normalized)
            if value is None:
                continue
            if isinstance(value, tuple):
                value = ",".join(value)
            tokens.append(f"{spec.key}={value}")
        return tokens

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def describe(self) -> dict[str, str]:
        """Effective settings for logs and the home page, secrets masked."""
        out = {}
        extra = dict(self.extra)
        for spec in all_specs():
            value = getattr(self, spec.attr) if _is_platform(spec) else extra.get(spec.normalized)
            if value is None or value == ():
                continue
            if spec.secret:
                value = "***"
            elif isinstance(value, tuple):
                value = ",".join(value)
            out[spec.key] = str(value)
        return out


def settings_help() -> str:
    """The settings table for ``airgap serve --help``."""
    specs = all_specs()
    width = max(len(s.key) for s in specs)
    lines = ["settings (Key=Value on the command line, or environment variables; ':' and '__' are equivalent):"]
    for spec in specs:
        lines.append(f"  {spec.key:<{width}}  default {spec.default_text()}")
        lines.append(f"  {'':<{width}}  {spec.help}")
    return "\n".join(lines)


# The parsers a service's settings section (``Section``) uses, so that every section reads
# numbers, paths and flags with the platform's rules and words.
parse_bool = _parse_bool
parse_int = _parse_int
parse_positive_int = _parse_positive_int
parse_non_negative_int = _parse_non_negative_int
parse_positive_seconds = _parse_positive_seconds
parse_path = _parse_path
