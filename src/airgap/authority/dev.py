"""``airgap dev bootstrap``: a local authority and a licence for every bundled service.

``make run`` uses it so that one command starts a licensed server: the state folder gets
an authority (``authority/``), a ``dev`` resource, a licence in ``license/`` and an empty
``output/``. Re-running reuses them and only issues a new licence when none is valid.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from airgap.authority.store import Store
from airgap.platform.licensing import token as lic
from airgap.platform.licensing.token import LicenceError


def add_parser(commands) -> None:
    dev = commands.add_parser("dev", help="development helpers")
    sub = dev.add_subparsers(dest="dev_command", required=True)
    boot = sub.add_parser("bootstrap", help="a local authority + licence for every bundled service",
                          description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    boot.add_argument("--state", type=Path, default=Path("state"), help="state folder (default ./state)")
    boot.add_argument("--print-settings", action="store_true",
                      help="print only the Key=Value settings to pass to `airgap serve`")
    serve = sub.add_parser("serve", help="bootstrap, then `airgap serve` with that licence (make run)")
    serve.add_argument("--state", type=Path, default=Path("state"), help="state folder (default ./state)")
    serve.add_argument("--examples", type=Path, help="deploy the example projects in this folder first "
                       "(conversations/*.json: CLU exports), unless already deployed (make run: examples)")
    serve.add_argument("settings", nargs="*", metavar="Key=Value", help="more serve settings, e.g. Port=5000")


def bootstrap(state: Path, services: Sequence[str]) -> list[str]:
    """Create what is missing under ``state`` for ``services``; return the serve settings that use it.

    The caller (the command line) names the services: the authority knows no service code.
    """
    state = state.resolve()
    store = Store.init(state / "authority")
    license_dir, output_dir = state / "license", state / "output"
    license_dir.mkdir(parents=True, exist_ok=True)
    output_dir.mkdir(parents=True, exist_ok=True)
    services = list(services)
    keys = [store.signing_key.public_key()]
    reading = lic.read_folder(license_dir, keys)
    try:
        for service in services:
            reading.for_service(service, license_dir)
    except LicenceError:
        resources = [r for r, _ in store.resources() if r.name == "dev" and not r.revoked
                     and set(services) <= set(r.services)]
        resource = resources[0] if resources else store.create_resource("dev", services, period_days=365)[0]
        lic.write_licence(license_dir, lic.verify(store.issue_licence(resource, services), keys))
    return ["Eula=accept", f"Mounts:License={license_dir}", f"Mounts:Output={output_dir}",
            f"Licensing:TrustedKeys={store.public_key_path}"]
