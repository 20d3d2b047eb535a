"""``DownloadLicense=True``: fetch a licence from the authority, verify it, store it, exit.

Verification uses ``Licensing:TrustedKeys`` exactly as the offline server will, so a licence
that is written here is one the disconnected server accepts.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence

from airgap.platform.licensing import token as lic
from airgap.platform.licensing.authority_client import AuthorityClient
from airgap.platform.licensing.token import LicenceError
from airgap.platform.settings import Settings


def download(settings: Settings, services: Sequence[str]) -> lic.Licence:
    missing = [k for k, v in (("Billing", settings.billing), ("ApiKey", settings.api_key),
                              ("Mounts:License", settings.license_dir)) if not v]
    if missing:
        raise LicenceError("Invalid", f"DownloadLicense=True needs {', '.join(missing)} as well "
                           "(Eula, Billing, ApiKey and Mounts:License).")
    assert settings.license_dir is not None and settings.billing and settings.api_key
    if not settings.license_dir.is_dir():
        raise LicenceError("Missing", lic.LICENCE_PATH_NOT_FOUND)
    keys = lic.load_trusted_keys(settings.trusted_keys)
    if not keys:
        raise LicenceError("Invalid", "Set Licensing:TrustedKeys to the authority's public key, so that the "
                           "downloaded licence can be verified before it is stored.")
    token = AuthorityClient(settings.billing, settings.api_key).download_licence(services)
    licence = lic.verify(token, keys)
    problem = licence.time_problem(skew=settings.clock_skew)
    if problem:
        raise problem
    missing_services = [s for s in services if not licence.covers(s)]
    if missing_services:
        raise LicenceError("Mismatch", f"The authority sent a licence without {', '.join(missing_services)}.")
    lic.write_licence(settings.license_dir, licence)
    return licence


def disconnected_command(settings: Settings) -> str:
    tokens = ["airgap", "serve", "Eula=accept", f"Mounts:License={settings.license_dir}",
              f"Mounts:Output={settings.output_dir}",
              f"Licensing:TrustedKeys={','.join(settings.trusted_keys)}"]
    if settings.services:
        tokens.append(f"Services={','.join(settings.services)}")
    return " ".join(shlex.quote(t) for t in tokens)


def run(settings: Settings, services: Sequence[str]) -> int:
    try:
        licence = download(settings, services)
    except LicenceError as exc:
        print(f"airgap: licence download failed with status '{exc.code}': {exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"airgap: cannot write the licence into {settings.license_dir} (Mounts:License): {exc}",
              file=sys.stderr)
        return 1
    path = settings.license_dir / lic.licence_file_name(licence)
    print(f"Licence {licence.id} for resource {licence.subject} (services {', '.join(licence.services)}) "
          f"valid until {lic.iso(licence.expires)} written to {path}.")
    print("Run disconnected with:")
    print("  " + disconnected_command(settings))
    return 0
