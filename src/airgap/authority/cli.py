"""``airgap authority init|serve|resource create|list|revoke|key create|revoke``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from airgap.authority.store import Store, StoreError
from airgap.platform.licensing import token as lic
from airgap.platform.licensing.token import Quota


def _quota(text: str) -> Quota:
    """``METER=LIMIT[:block|overage]``."""
    meter, sep, rest = text.partition("=")
    limit, _, behaviour = rest.partition(":")
    behaviour = behaviour or "block"
    try:
        value = float(limit)
    except ValueError:
        value = -1
    if not sep or not meter or value < 0 or behaviour not in lic.BEHAVIOURS:
        raise argparse.ArgumentTypeError(f"{text!r}: write METER=LIMIT or METER=LIMIT:block|overage")
    return Quota(meter, value, behaviour)


def add_parser(commands) -> None:
    authority = commands.add_parser("authority", help="run a licence authority (the billing endpoint)",
                                    description="A licence authority: resources, API keys, signed licences.")
    sub = authority.add_subparsers(dest="authority_command", required=True)

    def with_state(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--state", type=Path, default=Path("authority"),
                       help="state folder: signing key and database (default ./authority)")
        return p

    with_state(sub.add_parser("init", help="create the signing key and database; print the public key"))
    serve = with_state(sub.add_parser("serve", help="serve the HTTP API containers call (Billing=<url>)"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5100)
    serve.add_argument("--max-failures", type=int, default=10,
                       help="unknown-key attempts per client and minute before 429 (default 10)")

    resource = sub.add_parser("resource", help="create, list or revoke resources")
    rsub = resource.add_subparsers(dest="resource_command", required=True)
    create = with_state(rsub.add_parser("create", help="create a resource; prints its first API key once"))
    create.add_argument("--name", required=True)
    create.add_argument("--services", required=True, help="comma-separated, e.g. language")
    create.add_argument("--quota", type=_quota, action="append", default=[], metavar="METER=LIMIT[:block|overage]",
                        help="a cap per plan period; repeat for several meters")
    create.add_argument("--period-days", type=int, default=365, help="commitment plan period (default 365)")
    create.add_argument("--json", action="store_true")
    with_state(rsub.add_parser("list", help="list resources and their key hints")).add_argument("--json", action="store_true")
    with_state(rsub.add_parser("revoke", help="revoke a resource and all its keys")).add_argument("id")

    licence = sub.add_parser("licence", help="issue a licence file directly (carried to an offline site)")
    lsub = licence.add_subparsers(dest="licence_command", required=True)
    issue = with_state(lsub.add_parser("issue", help="write a licence for a resource into a folder"))
    issue.add_argument("resource")
    issue.add_argument("--services", default="", help="comma-separated (default: all of the resource's)")
    issue.add_argument("--to", type=Path, required=True, help="folder to write it to (Mounts:License)")

    key = sub.add_parser("key", help="create or revoke API keys")
    ksub = key.add_subparsers(dest="key_command", required=True)
    with_state(ksub.add_parser("create", help="another API key for a resource; printed once")).add_argument("resource")
    with_state(ksub.add_parser("revoke", help="revoke one API key (the key or its hint)")).add_argument("key")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except StoreError as exc:
        print(f"airgap authority: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    cmd = args.authority_command
    if cmd == "init":
        store = Store.init(args.state)
        print(f"Authority state in {store.state}; signing key {store.state / 'authority.key'} (mode 0600).")
        print(f"Containers trust it with Licensing:TrustedKeys={store.public_key_path.resolve()}")
        print(lic.public_key_pem(store.signing_key.public_key()).decode(), end="")
        return 0
    store = Store(args.state)
    store.check()
    if cmd == "serve":
        import uvicorn

        from airgap.authority.app import FailureLimiter, create_authority_app

        app = create_authority_app(store, FailureLimiter(limit=args.max_failures))
        print(f"Licence authority {store.issuer} on http://{args.host}:{args.port}", flush=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", server_header=False)
        return 0
    if cmd == "resource":
        return _resource(args, store)
    if cmd == "licence":
        return _issue(args, store)
    if args.key_command == "create":
        print(store.create_key(args.resource))
        return 0
    if store.revoke_key(args.key) == 0:
        raise StoreError(f"no active API key {args.key!r}")
    print("revoked")
    return 0


def _issue(args: argparse.Namespace, store: Store) -> int:
    resource = store.resource(args.resource)
    if resource.revoked:
        raise StoreError(f"resource {resource.id} is revoked")
    if not args.to.is_dir():
        raise StoreError(f"{args.to} is not a folder")
    services = [s.strip() for s in args.services.split(",") if s.strip()] or list(resource.services)
    try:
        token = store.issue_licence(resource, services, container="(issued by CLI)")
    except lic.LicenceError as exc:
        raise StoreError(exc.message) from None
    path = lic.write_licence(args.to, lic.verify(token, [store.signing_key.public_key()]))
    print(f"licence for resource {resource.id} ({', '.join(services)}) written to {path}")
    return 0


def _resource(args: argparse.Namespace, store: Store) -> int:
    if args.resource_command == "create":
        services = [s.strip() for s in args.services.split(",") if s.strip()]
        resource, key = store.create_resource(args.name, services, args.quota, args.period_days)
        if args.json:
            print(json.dumps({**resource.describe(), "apiKey": key}))
        else:
            print(f"resource {resource.id} ({resource.name}): services {', '.join(resource.services)}")
            print(f"API key (shown once, store it now): {key}")
        return 0
    if args.resource_command == "list":
        rows = store.resources()
        if args.json:
            print(json.dumps([{**r.describe(), "keys": keys} for r, keys in rows], indent=2))
        for r, keys in rows if not args.json else ():
            state = f"revoked {lic.iso(r.revoked)}" if r.revoked else "active"
            quotas = ", ".join(f"{q.meter}={q.limit:g}:{q.behaviour}" for q in r.quotas) or "no quotas"
            print(f"{r.id}  {r.name}  [{state}]  services={','.join(r.services)}  {quotas}  "
                  f"period={r.period_days}d  keys={', '.join(keys)}")
        return 0
    store.revoke_resource(args.id)
    print(f"resource {args.id} revoked")
    return 0
