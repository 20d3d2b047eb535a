"""What the Studio's browser tests share: a licensed server behind inbound auth, and axe-core.

The server hosts the anomaly service (the lightest to load) in disconnected mode, with a licence
that ends in 30 days, and answers API requests only with ``KEY``: the Operations panel then has a
licence and its expiry to show, and every call of the page must carry the key the user typed.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from importlib import resources
from pathlib import Path

from airgap.authority.store import Store
from airgap.platform.licensing import token as lic
from tests.support.server import ServerProcess

KEY = "studio-s3cret"
LICENCE_DAYS = 30

# Wheels that bundle axe-core's axe.min.js (the test extras pin one; nothing is fetched at run time).
_AXE_PACKAGES = ("axe_playwright_python", "axe_core_python")


@contextlib.contextmanager
def licensed_server(folder: Path) -> Iterator[tuple[ServerProcess, lic.Licence]]:
    store = Store.init(folder / "authority")
    now = lic.utcnow()
    token = lic.issue(store.signing_key, issuer=store.issuer, subject="studio-test", services=["anomaly"],
                      quotas=[], not_before=now - timedelta(hours=1), expires=now + timedelta(days=LICENCE_DAYS))
    licence = lic.verify(token, [store.signing_key.public_key()])
    licence_dir = folder / "license"
    licence_dir.mkdir()
    lic.write_licence(licence_dir, licence)
    server = ServerProcess(settings=["Services=anomaly", f"Mounts:License={licence_dir}",
                                     f"Licensing:TrustedKeys={store.public_key_path}", f"Auth:SubscriptionKeys={KEY}"],
                           log_path=folder / "server.log")
    with server:
        yield server, licence


def axe_source() -> str | None:
    """axe-core's script from an installed wheel, or None."""
    for package in _AXE_PACKAGES:
        try:
            return (resources.files(package) / "axe.min.js").read_text(encoding="utf-8")
        except (ModuleNotFoundError, FileNotFoundError):
            continue
    return None


def run_sdk_code(code: str, folder: Path, key: str | None = None) -> str:
    """Run the Python a Studio panel shows (its SDK code) in ``folder``; its standard output.

    The code reads the key from ``AIRGAP_KEY``, as the page tells its reader to set it; loopback
    is kept off any proxy the environment names.
    """
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    env.pop("AIRGAP_KEY", None)
    if key is not None:
        env["AIRGAP_KEY"] = key
    done = subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=180, check=False)
    assert done.returncode == 0, f"the panel's SDK code failed:\n{code}\n{done.stderr[-3000:]}"
    return done.stdout
