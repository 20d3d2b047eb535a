"""Licences: EdDSA-signed JWTs issued by a licence authority, verified offline.

A licence says who it is for (``sub``: the resource at the authority), which
services it covers, which meters are capped (quotas, with the behaviour once a
cap is reached), and when it is valid (``nbf`` .. ``exp``). The server trusts
only the public keys it was configured with (``Licensing:TrustedKeys``): the
token header is read for its algorithm alone, so a key, key id or URL carried
by the licence (``jwk``, ``x5c``, ``jku``, ``kid``) can never make a forged
licence verify.

Failures raise ``LicenceError(code, message)``; codes follow the Azure
container vocabulary (``Invalid``, ``Mismatch``, ``Expired``, ...), so that
``/status``, exit messages and 403 envelopes all say the same thing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from airgap.platform.durable import write_atomic

AUDIENCE = "airgap-container"
ALGORITHM = "EdDSA"
LICENCE_SUFFIX = ".jwt"
BEHAVIOURS = ("block", "overage")
# Clock difference tolerated between the authority and an offline host (Licensing:ClockSkewSeconds).
LEEWAY_SECONDS = 60

LICENCE_PATH_NOT_FOUND = (
    "The provided license path was not found. Please ensure a volume is mounted and a directory "
    "exists at the location specified by 'Mounts:License'"
)


class LicenceError(Exception):
    """A licence (or the means to get one) is not usable; ``code`` is the Azure status word."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Quota:
    meter: str
    limit: float
    behaviour: str  # "block": refuse once used up; "overage": serve and report the excess

    def to_claim(self) -> dict[str, Any]:
        return {"meter": self.meter, "limit": self.limit, "behaviour": self.behaviour}


@dataclass(frozen=True)
class Licence:
    id: str
    issuer: str
    subject: str
    services: tuple[str, ...]
    quotas: tuple[Quota, ...]
    not_before: datetime
    expires: datetime
    token: str = field(repr=False, default="")

    def covers(self, service: str) -> bool:
        return service in self.services

    def time_problem(self, now: datetime | None = None, skew: float = LEEWAY_SECONDS) -> LicenceError | None:
        """Why the licence is not valid at ``now`` (a clock reading), or None."""
        # Seconds since the epoch: one clock reading and no datetime arithmetic, as every request asks.
        moment = time.time() if now is None else now.timestamp()
        if moment >= self.expires.timestamp() + skew:
            return LicenceError("Expired", f"The licence {self.id} for resource {self.subject} expired at "
                                f"{iso(self.expires)}; download a new one (DownloadLicense=True).")
        if moment + skew < self.not_before.timestamp():
            return LicenceError("NotYetValid", f"The licence {self.id} for resource {self.subject} is not "
                                f"valid before {iso(self.not_before)}; check this host's clock.")
        return None


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


# ---------------------------------------------------------------------------------------------
# keys


def generate_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def public_key_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_key_base64(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint, written as ``kid`` for people reading a token; never used to pick a key."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} holds a {type(key).__name__}, not an Ed25519 private key")
    return key


def _public_from_bytes(data: bytes, where: str) -> Ed25519PublicKey:
    text = data.strip()
    if text.startswith(b"-----BEGIN"):
        key = serialization.load_pem_public_key(text)
    else:
        try:
            raw = base64.b64decode(text, validate=True)
        except binascii.Error:
            raise ValueError(f"{where}: neither PEM nor base64") from None
        if len(raw) == 32:
            return Ed25519PublicKey.from_public_bytes(raw)
        key = serialization.load_der_public_key(raw)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{where}: a {type(key).__name__}, not an Ed25519 public key")
    return key


def load_trusted_keys(entries: Iterable[str]) -> list[Ed25519PublicKey]:
    """Keys from ``Licensing:TrustedKeys``: each a key file, PEM text or base64 raw/DER key.

    Raises ``LicenceError('Invalid', ...)`` naming the entry that cannot be read.
    """
    keys = []
    for entry in entries:
        where = "Licensing:TrustedKeys entry " + (entry if len(entry) < 80 else entry[:40] + "...")
        try:
            if entry.lstrip().startswith("-----BEGIN"):
                keys.append(_public_from_bytes(entry.encode(), where))
            elif Path(entry).is_file():
                keys.append(_public_from_bytes(Path(entry).read_bytes(), f"key file {entry}"))
            elif "/" in entry and not entry.endswith("="):
                raise ValueError(f"{where}: no such key file")
            else:
                keys.append(_public_from_bytes(entry.encode(), where))
        except (ValueError, TypeError) as exc:
            raise LicenceError("Invalid", f"Cannot read a trusted authority key: {exc}.") from None
    return keys


# ---------------------------------------------------------------------------------------------
# issuing (the authority) and verifying (the server)


def issue(key: Ed25519PrivateKey, *, issuer: str, subject: str, services: Sequence[str],
          quotas: Sequence[Quota] = (), not_before: datetime, expires: datetime,
          licence_id: str | None = None) -> str:
    claims = {
        "iss": issuer,
        "sub": subject,
        "aud": AUDIENCE,
        "iat": int(utcnow().timestamp()),
        "nbf": int(not_before.timestamp()),
        "exp": int(expires.timestamp()),
        "jti": licence_id or str(uuid.uuid4()),
        "services": list(services),
        "quotas": [q.to_claim() for q in quotas],
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": key_id(key.public_key())})


def verify(token: str, keys: Sequence[Ed25519PublicKey]) -> Licence:
    """Check signature, algorithm, audience and claim shapes; time is checked by ``time_problem``.

    The validity window is left to the caller so that a licence read at start-up can be
    re-checked on every request as the clock moves on.
    """
    token = token.strip()
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as exc:
        raise LicenceError("Invalid", f"The licence is not a signed token (JWS compact form): {exc}.") from None
    alg = header.get("alg")
    if alg != ALGORITHM:
        raise LicenceError("Invalid", f"The licence is signed with algorithm {alg!r}; only {ALGORITHM} "
                           "(Ed25519) licences from a trusted authority are accepted.")
    if not keys:
        raise LicenceError("Invalid", "No trusted authority key is configured: set Licensing:TrustedKeys "
                           "to the public key of the authority that issued the licence.")
    options = {"verify_exp": False, "verify_nbf": False, "verify_iat": False,
               "require": ["iss", "sub", "aud", "nbf", "exp", "jti"]}
    claims: Mapping[str, Any] | None = None
    for key in keys:
        try:
            claims = jwt.decode(token, key, algorithms=[ALGORITHM], audience=AUDIENCE, options=options)
            break
        except jwt.InvalidSignatureError:
            continue
        except jwt.InvalidAudienceError:
            # The signature held (PyJWT checks it first): a genuine token meant for something else.
            raise LicenceError("Mismatch", f"The licence was issued for another audience, not {AUDIENCE!r}: "
                               "it is not a container licence.") from None
        except jwt.MissingRequiredClaimError as exc:
            raise LicenceError("Invalid", f"The licence lacks the claim {exc.claim!r}.") from None
        except jwt.InvalidTokenError as exc:
            raise LicenceError("Invalid", f"The licence cannot be read: {exc}.") from None
    if claims is None:
        raise LicenceError("Invalid", "The licence signature does not verify against any trusted authority key "
                           "(Licensing:TrustedKeys): the licence was altered, or issued by another authority.")
    return _licence_from_claims(claims, token)


def _licence_from_claims(claims: Mapping[str, Any], token: str) -> Licence:
    def bad(what: str) -> LicenceError:
        return LicenceError("Invalid", f"The licence claim {what} is malformed.")

    services = claims.get("services")
    if not isinstance(services, list) or not all(isinstance(s, str) for s in services):
        raise bad("'services' (a list of service names)")
    quotas = []
    for item in claims.get("quotas") or []:
        if not isinstance(item, dict) or not isinstance(item.get("meter"), str):
            raise bad("'quotas' (items need a meter name)")
        limit, behaviour = item.get("limit"), item.get("behaviour", "block")
        if isinstance(limit, bool) or not isinstance(limit, int | float) or limit < 0:
            raise bad(f"'quotas' (meter {item['meter']}: limit must be a number >= 0)")
        if behaviour not in BEHAVIOURS:
            raise bad(f"'quotas' (meter {item['meter']}: behaviour must be one of {', '.join(BEHAVIOURS)})")
        quotas.append(Quota(item["meter"], float(limit), behaviour))
    for name in ("nbf", "exp"):
        if isinstance(claims[name], bool) or not isinstance(claims[name], int | float):
            raise bad(f"'{name}' (seconds since the epoch)")
    return Licence(
        id=str(claims["jti"]),
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        services=tuple(services),
        quotas=tuple(quotas),
        not_before=datetime.fromtimestamp(claims["nbf"], timezone.utc),
        expires=datetime.fromtimestamp(claims["exp"], timezone.utc),
        token=token,
    )


# ---------------------------------------------------------------------------------------------
# the licence folder (Mounts:License)


def licence_file_name(licence: Licence) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in licence.subject)
    return f"licence-{safe}{LICENCE_SUFFIX}"


def write_licence(folder: Path, licence: Licence) -> Path:
    """Write atomically: a reader sees the old file or the whole new one, never a torn one."""
    folder = Path(folder)
    target = folder / licence_file_name(licence)
    # Not a secret (0644): the server may run as another user than the downloader.
    write_atomic(target, (licence.token + "\n").encode(), mode=0o644)
    return target


@dataclass(frozen=True)
class FolderReading:
    """Every licence file of a folder: the usable licences, and why each other file was refused."""

    licences: tuple[tuple[Path, Licence], ...]
    refused: tuple[tuple[Path, LicenceError], ...]

    def for_service(self, service: str, folder: Path, now: datetime | None = None,
                    skew: float = LEEWAY_SECONDS) -> Licence:
        """The valid licence covering ``service`` that lasts longest, or a LicenceError saying why none."""
        candidates = [lic for _, lic in self.licences if lic.covers(service)]
        current = [lic for lic in candidates if lic.time_problem(now, skew) is None]
        if current:
            return max(current, key=lambda lic: lic.expires)
        if candidates:
            problem = max(candidates, key=lambda lic: lic.expires).time_problem(now, skew)
            assert problem is not None
            raise LicenceError(problem.code, f"{problem.message} (licence folder {folder})")
        if self.refused:
            path, error = self.refused[0]
            raise LicenceError(error.code, f"No valid licence for service {service!r} in {folder}: "
                               f"{path.name}: {error.message}")
        if self.licences:
            names = ", ".join(sorted({s for _, lic in self.licences for s in lic.services}))
            raise LicenceError("Mismatch", f"The licences in {folder} cover {names}, not the service "
                               f"{service!r}; download a licence for a resource that includes it.")
        raise LicenceError("Missing", f"No licence file (*{LICENCE_SUFFIX}) in {folder} (Mounts:License); "
                           "download one first with DownloadLicense=True Billing=<authority> ApiKey=<key>.")


def read_folder(folder: Path, keys: Sequence[Ed25519PublicKey]) -> FolderReading:
    folder = Path(folder)
    if not folder.is_dir():
        raise LicenceError("Missing", LICENCE_PATH_NOT_FOUND)
    good, refused = [], []
    for path in sorted(folder.glob(f"*{LICENCE_SUFFIX}")):
        try:
            good.append((path, verify(path.read_text(errors="replace"), keys)))
        except LicenceError as error:
            refused.append((path, error))
    return FolderReading(tuple(good), tuple(refused))
