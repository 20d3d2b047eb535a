"""Quality on the heldout split of tests/data/quality/clu_intents.jsonl (never used for tuning):
the project is trained on the dev split through the authoring SDK and every heldout utterance
is predicted through the runtime SDK. Floors are the measured figures (docs/models.md)."""

from __future__ import annotations

from tests.conversations import project_data
from tests.conversations.conftest import predict

# Measured with the bundled classifier and labeller (docs/models.md).
INTENT_ACCURACY_FLOOR = 0.75  # measured 0.753 (128/170)
ENTITY_F1_FLOOR = 0.74  # measured 0.752 (P 0.778, R 0.728); relative dates resolve against today


def test_heldout_intent_accuracy_and_entity_f1(runtime, deployed) -> None:  # noqa: ANN001
    rows = project_data.rows("heldout")
    correct = tp = fp = fn = 0
    for row in rows:
        prediction = predict(runtime, row["text"], stringIndexType="Utf16CodeUnit")["result"]["prediction"]
        correct += prediction["topIntent"] == row["intent"]
        gold = {(e["category"], e["offset"], e["length"]) for e in row["entities"]}
        got = {(e["category"], e["offset"], e["length"]) for e in prediction["entities"]}
        tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
    accuracy = correct / len(rows)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"heldout: {len(rows)} utterances, intent accuracy {accuracy:.3f}, entity P {precision:.3f} "
          f"R {recall:.3f} F1 {f1:.3f}")
    assert accuracy >= INTENT_ACCURACY_FLOOR
    assert f1 >= ENTITY_F1_FLOOR
