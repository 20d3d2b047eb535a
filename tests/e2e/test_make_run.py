"""What `make run` (`airgap dev serve --examples examples`) sets up before the server starts: a
development licence that covers every bundled service, and the example CLU project trained and
deployed where the conversations service reads it."""

from __future__ import annotations

from pathlib import Path

from airgap import dev_examples
from airgap.authority import dev
from airgap.authority.store import Store
from airgap.platform.licensing import token as lic
from airgap.services.registry import BUNDLED

ROOT = Path(__file__).resolve().parents[2]


def test_dev_licence_covers_every_bundled_service_even_in_an_older_state(tmp_path):
    state = tmp_path / "state"
    dev.bootstrap(state, [s for s in BUNDLED if s != "conversations"])  # a state from before conversations
    dev.bootstrap(state, list(BUNDLED))
    reading = lic.read_folder(state / "license", [Store.init(state / "authority").signing_key.public_key()])
    for service in BUNDLED:
        assert service in reading.for_service(service, state / "license").services


def test_example_project_is_deployed_once_and_predicts(tmp_path):
    from airgap.services.conversations.engines.model import ConversationModel
    from airgap.services.conversations.store import ConversationStore
    from airgap.services.conversations.training import load_prebuilt

    settings = ["Eula=accept", f"Mounts:Output={tmp_path / 'output'}", f"Mounts:Shared={tmp_path / 'shared'}"]
    assert dev_examples.prepare(ROOT / "examples", [*settings, "Services=language"]) == []
    [done] = dev_examples.prepare(ROOT / "examples", settings)
    assert "HomeAutomation" in done
    assert dev_examples.prepare(ROOT / "examples", settings) == []  # already deployed: left as it is

    store = ConversationStore(tmp_path / "shared" / "conversations")
    record = store.deployment("HomeAutomation", dev_examples.DEPLOYMENT)
    model = ConversationModel(store.deployed_model_dir("HomeAutomation", record), load_prebuilt())
    try:
        prediction = model.predict("dim the kitchen lights to 40% at 9 pm")
    finally:
        model.close()
    assert prediction.top_intent == "SetBrightness"
