"""The authority's state: one SQLite file (WAL) plus its Ed25519 signing key.

Layout of a state folder::

    authority.key   Ed25519 private key, PEM, mode 0600
    authority.pub   its public key, PEM: what containers put in Licensing:TrustedKeys
    authority.db    resources, hashed API keys, issued licences, uploaded usage

Every operation opens its own connection: SQLite in WAL mode lets readers run
beside the one writer, and ``busy_timeout`` makes concurrent writers queue
instead of failing, so the HTTP app may call the store from many threads.
API keys are random 256-bit secrets, so a plain SHA-256 is enough to store
them (a slow password hash buys nothing against a key nobody can guess).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from airgap.platform.licensing import token as lic
from airgap.platform.licensing.token import LicenceError, Quota

KEY_FILE, PUB_FILE, DB_FILE = "authority.key", "authority.pub", "authority.db"
KEY_PREFIX = "agk_"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, services TEXT NOT NULL, quotas TEXT NOT NULL,
    period_days INTEGER NOT NULL, created TEXT NOT NULL, revoked TEXT);
CREATE TABLE IF NOT EXISTS api_keys (
    hash TEXT PRIMARY KEY, resource_id TEXT NOT NULL REFERENCES resources(id),
    hint TEXT NOT NULL, created TEXT NOT NULL, revoked TEXT);
CREATE TABLE IF NOT EXISTS licences (
    id TEXT PRIMARY KEY, resource_id TEXT NOT NULL, issued TEXT NOT NULL, expires TEXT NOT NULL,
    container TEXT);
CREATE TABLE IF NOT EXISTS usage (
    record_id TEXT PRIMARY KEY, resource_id TEXT NOT NULL, time TEXT NOT NULL,
    service TEXT, meters TEXT NOT NULL, container TEXT, received TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS usage_by_time ON usage (resource_id, time);
"""


class StoreError(Exception):
    pass


@dataclass(frozen=True)
class Resource:
    id: str
    name: str
    services: tuple[str, ...]
    quotas: tuple[Quota, ...]
    period_days: int
    created: datetime
    revoked: datetime | None

    def period(self, now: datetime) -> tuple[datetime, datetime]:
        """The commitment-plan period holding ``now``: periods run back to back from the UTC
        midnight that began the day of creation."""
        length = timedelta(days=self.period_days)
        first = self.created.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        n = max(0, int((now - first) / length))
        start = first + n * length
        return start, start + length

    def describe(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "services": list(self.services),
                "quotas": [q.to_claim() for q in self.quotas], "periodDays": self.period_days,
                "created": lic.iso(self.created), "revoked": lic.iso(self.revoked) if self.revoked else None}


def hash_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Store:
    def __init__(self, state: Path) -> None:
        self.state = Path(state)
        self.db = self.state / DB_FILE

    # -- set-up ---------------------------------------------------------------------------

    @classmethod
    def init(cls, state: Path) -> Store:
        """Create the key pair (once) and the database; idempotent."""
        state = Path(state)
        state.mkdir(parents=True, exist_ok=True)
        key_path = state / KEY_FILE
        if not key_path.exists():
            key = lic.generate_key()
            # Created 0600 from the start: never a moment when others can read it.
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(lic.private_key_pem(key))
            (state / PUB_FILE).write_bytes(lic.public_key_pem(key.public_key()))
        store = cls(state)
        with store._connect() as db:
            db.executescript(_SCHEMA)
        return store

    def check(self) -> None:
        if not (self.state / KEY_FILE).is_file() or not self.db.is_file():
            raise StoreError(f"{self.state} is not an authority state folder; run `airgap authority init "
                             f"--state {self.state}` first.")

    @property
    def signing_key(self) -> Ed25519PrivateKey:
        return lic.load_private_key(self.state / KEY_FILE)

    @property
    def public_key_path(self) -> Path:
        return self.state / PUB_FILE

    @property
    def issuer(self) -> str:
        return "airgap-authority:" + lic.key_id(self.signing_key.public_key())

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.db, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("PRAGMA foreign_keys=ON")
            db.row_factory = sqlite3.Row
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    # -- resources and keys -----------------------------------------------------------------

    def create_resource(self, name: str, services: Sequence[str], quotas: Sequence[Quota] = (),
                        period_days: int = 365) -> tuple[Resource, str]:
        """A new resource and its first API key (returned once; only its hash is kept)."""
        if not services:
            raise StoreError("a resource needs at least one service")
        if period_days < 1:
            raise StoreError("the plan period must be at least one day")
        rid = uuid.uuid4().hex[:12]
        now = _now()
        with self._transaction() as db:
            db.execute("INSERT INTO resources VALUES (?,?,?,?,?,?,NULL)",
                       (rid, name, json.dumps(list(services)), json.dumps([q.to_claim() for q in quotas]),
                        period_days, now.isoformat()))
            key = self._add_key(db, rid)
        return self.resource(rid), key

    def create_key(self, resource_id: str) -> str:
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM resources WHERE id=?", (resource_id,)).fetchone() is None:
                raise StoreError(f"no resource {resource_id!r}")
            return self._add_key(db, resource_id)

    def _add_key(self, db: sqlite3.Connection, resource_id: str) -> str:
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        db.execute("INSERT INTO api_keys VALUES (?,?,?,?,NULL)",
                   (hash_key(key), resource_id, key[:8] + "...", _now().isoformat()))
        return key

    def revoke_resource(self, resource_id: str) -> None:
        with self._transaction() as db:
            cur = db.execute("UPDATE resources SET revoked=? WHERE id=? AND revoked IS NULL",
                             (_now().isoformat(), resource_id))
            if cur.rowcount == 0 and db.execute("SELECT 1 FROM resources WHERE id=?",
                                                (resource_id,)).fetchone() is None:
                raise StoreError(f"no resource {resource_id!r}")

    def revoke_key(self, api_key_hint_or_key: str) -> int:
        """Revoke one key, given the key itself or its hint as `resource list` shows it."""
        with self._transaction() as db:
            cur = db.execute("UPDATE api_keys SET revoked=? WHERE (hash=? OR hint=?) AND revoked IS NULL",
                             (_now().isoformat(), hash_key(api_key_hint_or_key), api_key_hint_or_key))
            return cur.rowcount

    def resource(self, resource_id: str) -> Resource:
        with self._connect() as db:
            row = db.execute("SELECT * FROM resources WHERE id=?", (resource_id,)).fetchone()
        if row is None:
            raise StoreError(f"no resource {resource_id!r}")
        return _resource(row)

    def resources(self) -> list[tuple[Resource, list[str]]]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM resources ORDER BY created").fetchall()
            keys = db.execute("SELECT resource_id, hint, revoked FROM api_keys").fetchall()
        out = []
        for row in rows:
            hints = [k["hint"] + (" (revoked)" if k["revoked"] else "") for k in keys
                     if k["resource_id"] == row["id"]]
            out.append((_resource(row), hints))
        return out

    def authenticate(self, api_key: str) -> Resource | None:
        """The resource an API key opens; None for an unknown key.

        Raises ``LicenceError('ContainerUseUnauthorized')`` for a revoked key or resource: the
        caller knows a real key, so saying so is no help to a guesser.
        """
        with self._connect() as db:
            row = db.execute("SELECT * FROM api_keys WHERE hash=?", (hash_key(api_key),)).fetchone()
        if row is None:
            return None
        resource = self.resource(row["resource_id"])
        if row["revoked"] or resource.revoked:
            what = "resource" if resource.revoked else "API key"
            raise LicenceError("ContainerUseUnauthorized",
                               f"The {what} was revoked at the authority (resource {resource.id}); "
                               "containers may no longer use it.")
        return resource

    # -- licences and usage -------------------------------------------------------------------

    def used(self, resource: Resource, since: datetime, until: datetime) -> dict[str, float]:
        totals: dict[str, float] = {}
        with self._connect() as db:
            for row in db.execute("SELECT meters FROM usage WHERE resource_id=? AND time>=? AND time<?",
                                  (resource.id, since.isoformat(), until.isoformat())):
                for m in json.loads(row["meters"]):
                    totals[m["name"]] = totals.get(m["name"], 0.0) + float(m["quantity"])
        return totals

    def exhausted(self, resource: Resource, now: datetime) -> list[Quota]:
        """Block quotas the usage uploaded for this period has used up."""
        start, end = resource.period(now)
        used = self.used(resource, start, end)
        return [q for q in resource.quotas if q.behaviour == "block" and used.get(q.meter, 0) >= q.limit]

    def issue_licence(self, resource: Resource, services: Sequence[str], container: str | None = None,
                      now: datetime | None = None) -> str:
        """A licence for the plan period that holds ``now``, covering ``services``."""
        now = now or _now()
        missing = [s for s in services if s not in resource.services]
        if missing:
            raise LicenceError("Mismatch", f"Resource {resource.id} does not include the service(s) "
                               f"{', '.join(missing)}; it covers {', '.join(resource.services)}.")
        start, end = resource.period(now)
        token = lic.issue(self.signing_key, issuer=self.issuer, subject=resource.id,
                          services=list(services or resource.services), quotas=resource.quotas,
                          not_before=start, expires=end)
        claims = lic.verify(token, [self.signing_key.public_key()])
        with self._transaction() as db:
            db.execute("INSERT INTO licences VALUES (?,?,?,?,?)",
                       (claims.id, resource.id, now.isoformat(), end.isoformat(), container))
        return token

    def add_usage(self, resource: Resource, records: Sequence[dict[str, Any]], container: str | None) -> int:
        """Store uploaded usage records; a record sent twice (a retried upload) counts once."""
        received = _now().isoformat()
        added = 0
        with self._transaction() as db:
            for rec in records:
                cur = db.execute("INSERT OR IGNORE INTO usage VALUES (?,?,?,?,?,?,?)",
                                 (f"{resource.id}:{rec['id']}", resource.id, _utc_text(rec["time"]), rec.get("serviceName"),
                                  json.dumps(rec["meters"]), container, received))
                added += cur.rowcount
        return added


def _utc_text(moment: str) -> str:
    # One spelling for every stored time, so that SQL compares them as text correctly.
    return datetime.fromisoformat(moment).astimezone(timezone.utc).isoformat()


def _resource(row: sqlite3.Row) -> Resource:
    return Resource(
        id=row["id"], name=row["name"], services=tuple(json.loads(row["services"])),
        quotas=tuple(Quota(q["meter"], float(q["limit"]), q["behaviour"]) for q in json.loads(row["quotas"])),
        period_days=row["period_days"], created=_ts(row["created"]), revoked=_ts(row["revoked"]),
    )
