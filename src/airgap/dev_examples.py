"""``airgap dev serve --examples DIR``: the example CLU projects (``DIR/conversations/*.json``)
imported, trained and deployed before the server starts, so that ``make run`` predicts at once.

It goes through the conversations service's own store and training functions, into the folder the
server will read (``<Mounts:Shared or Mounts:Output>/conversations``); a project that already has
the deployment is left as it is, so a restart costs nothing and a user's retraining is kept.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from airgap.platform.settings import Settings, SettingsError
from airgap.services import registry

DEPLOYMENT, LABEL = "production", "example"


def prepare(examples: Path, serve_tokens: list[str]) -> list[str]:
    """Deploy the example projects the server will host; returns what was done, one line each."""
    files = sorted((examples / "conversations").glob("*.json"))
    if not files:
        return []
    registry.import_settings()
    try:
        settings = Settings.load(serve_tokens, os.environ)
    except SettingsError:
        return []  # `airgap serve` itself reports a bad setting, in its own words
    if "conversations" not in (settings.services or tuple(registry.BUNDLED)):
        return []
    try:
        # The service's packages are an extra; without it the server refuses to host it anyway.
        from airgap.services.conversations.api_authoring import METADATA_KEYS
        from airgap.services.conversations.engines.project import parse_project
        from airgap.services.conversations.service import STORE_FOLDER
        from airgap.services.conversations.store import ConversationStore
        from airgap.services.conversations.training import load_prebuilt, train_project
    except ModuleNotFoundError:
        return []
    root = (settings.shared_dir or settings.output_dir) / STORE_FOLDER
    store = ConversationStore(root)
    done, prebuilt = [], None
    for path in files:
        export = json.loads(path.read_text(encoding="utf-8"))
        name = export["metadata"]["projectName"]
        if store.deployment(name, DEPLOYMENT) is not None:
            continue
        parsed = parse_project(export, name)  # a broken example stops `make run` with the reason
        metadata = {k: v for k, v in export["metadata"].items() if k in METADATA_KEYS}
        store.save_project(name, {"projectKind": "Conversation", "language": parsed.language,
                                  "multilingual": parsed.multilingual, **metadata,
                                  "projectFileVersion": export["projectFileVersion"]}, export)
        prebuilt = prebuilt or load_prebuilt()
        trained = train_project(prebuilt, str(root), name, LABEL)
        store.deploy(name, DEPLOYMENT, LABEL, trained)
        done.append(f"CLU project {name} ({path}) trained in {trained['lastTrainingDurationInSeconds']} s and "
                    f"deployed as '{DEPLOYMENT}'")
    return done
