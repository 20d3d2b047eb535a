"""A trained CLU model: train it from a ``Project`` into a folder, load it, predict.

The folder holds only data (JSON, ``.npy`` arrays, CRFsuite's binary model), never pickles:
``definition.json`` (intents, entity components, threshold), the intent classifier's files and
``entities.crfsuite``. Training is deterministic: the same project gives the same files.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from airgap.services.conversations.engines import labeller
from airgap.services.conversations.engines.components import ComponentMatch, ListMatcher, RegexMatcher
from airgap.services.conversations.engines.intents import IntentClassifier
from airgap.services.conversations.engines.prebuilt import SUPPORTED, PrebuiltMatch, PrebuiltRecognizers
from airgap.services.conversations.engines.project import NONE_INTENT, Entity, Project
from airgap.services.conversations.engines.tokens import Token, token_features, tokenize

FORMAT = "airgap-clu/1"


@dataclass(frozen=True)
class EntityResult:
    category: str
    start: int  # code points
    end: int
    list_keys: tuple[str, ...] = ()
    regexes: tuple[tuple[str, str], ...] = ()  # (regexKey, pattern)
    prebuilts: tuple[PrebuiltMatch, ...] = ()
    score: float = 1.0  # the labeller's confidence for a learned-only result; 1 for rule matches


@dataclass(frozen=True)
class Prediction:
    top_intent: str
    intents: tuple[tuple[str, float], ...]  # every intent, best first
    entities: tuple[EntityResult, ...]


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    component: str  # learned | list | regex | prebuilts
    match: ComponentMatch | PrebuiltMatch | None = None
    score: float = 1.0


def _components(entities: tuple[Entity, ...]) -> dict[str, set[str]]:
    """Per prebuilt component (canonical name), the entities that declare it."""
    users: dict[str, set[str]] = {}
    for entity in entities:
        for name in entity.prebuilts:
            users.setdefault(SUPPORTED[name.lower()], set()).add(entity.category)
    return users


class _Matchers:
    """The rule components of a project and the token flags they give the labeller."""

    def __init__(self, entities: tuple[Entity, ...], prebuilt: PrebuiltRecognizers) -> None:
        self.lists = ListMatcher(entities)
        self.regexes = RegexMatcher(entities)
        self.prebuilt = prebuilt
        self.prebuilt_users = _components(entities)

    def match(self, text: str, now: datetime | None = None) -> tuple[list[ComponentMatch], list[PrebuiltMatch]]:
        rules = self.lists.find(text) + self.regexes.find(text)
        found = self.prebuilt.recognize(text, set(self.prebuilt_users), now) if self.prebuilt_users else []
        return rules, found

    @staticmethod
    def flags(tokens: list[Token], rules: list[ComponentMatch], found: list[PrebuiltMatch]) -> list[set[str]]:
        flags: list[set[str]] = [set() for _ in tokens]
        marks = [(m.start, m.end, f"{m.component}:{m.category}") for m in rules]
        marks += [(m.start, m.end, f"pre:{m.component}") for m in found]
        for i, token in enumerate(tokens):
            for start, end, flag in marks:
                if token.start >= start and token.end <= end:
                    flags[i].add(flag)
        return flags


def train_model(project: Project, folder: Path, prebuilt: PrebuiltRecognizers) -> dict[str, int]:
    """Train ``project`` into ``folder`` (which must exist and be empty); returns counts."""
    utterances = project.training
    texts = [u.text for u in utterances]
    IntentClassifier.fit(texts, [u.intent for u in utterances]).save(folder)
    matchers = _Matchers(project.entities, prebuilt)
    # A fixed reference moment: relative dates must flag the same tokens on every run.
    reference = datetime(2000, 1, 1)
    sequences = []
    for u in utterances:
        tokens = tokenize(u.text)
        rules, found = matchers.match(u.text, reference)
        flags = matchers.flags(tokens, rules, found)
        features = [token_features(tokens, i, flags) for i in range(len(tokens))]
        sequences.append((features, labeller.bio_tags(tokens, [(s.start, s.end, s.category) for s in u.spans])))
    has_labeller = labeller.train(sequences, folder / "entities.crfsuite")
    definition = {"format": FORMAT, "language": project.language, "threshold": project.confidence_threshold,
                  "intents": list(project.intents), "entities": [asdict(e) for e in project.entities],
                  "labeller": has_labeller}
    (folder / "definition.json").write_text(json.dumps(definition, sort_keys=True))
    return {"utterances": len(utterances), "intents": len(project.intents), "entities": len(project.entities)}


class ConversationModel:
    def __init__(self, folder: Path, prebuilt: PrebuiltRecognizers) -> None:
        definition = json.loads((folder / "definition.json").read_text())
        if definition.get("format") != FORMAT:
            raise ValueError(f"{folder} holds a model in format {definition.get('format')!r}, not {FORMAT}.")
        self.intents: list[str] = definition["intents"]
        self.threshold: float = definition["threshold"]
        self.entities = tuple(Entity(**{k: _tuples(v) for k, v in e.items()}) for e in definition["entities"])
        self.by_name = {e.category: e for e in self.entities}
        self.classifier = IntentClassifier.load(folder)
        self.labeller = labeller.Labeller(folder / "entities.crfsuite" if definition["labeller"] else None)
        self.matchers = _Matchers(self.entities, prebuilt)

    def predict(self, text: str, now: datetime | None = None, keep_overlaps: bool = False) -> Prediction:
        """Intents best first and entities. CLU reports no two entities over the same text; LUIS
        does (a number inside a learned span), so ``keep_overlaps`` keeps every entity's results."""
        scores = self.classifier.scores(text)
        ranked = sorted(((name, scores.get(name, 0.0)) for name in self.intents), key=lambda p: (-p[1], p[0]))
        top = ranked[0][0] if ranked and ranked[0][1] >= self.threshold else NONE_INTENT
        tokens = tokenize(text)
        rules, found = self.matchers.match(text, now)
        flags = self.matchers.flags(tokens, rules, found)
        learned = self.labeller.scored_spans(tokens, [token_features(tokens, i, flags) for i in range(len(tokens))])
        candidates: dict[str, list[_Candidate]] = {}
        for start, end, category, score in learned:
            if category in self.by_name:
                candidates.setdefault(category, []).append(_Candidate(start, end, "learned", score=score))
        for m in rules:
            candidates.setdefault(m.category, []).append(_Candidate(m.start, m.end, m.component, m))
        for m in found:
            for category in self.matchers.prebuilt_users.get(m.component, ()):
                candidates.setdefault(category, []).append(_Candidate(m.start, m.end, "prebuilts", m))
        results = []
        for category, items in candidates.items():
            results.extend(self._compose(self.by_name[category], items))
        if keep_overlaps:
            kept = sorted((r for _, r in results), key=lambda r: (r.start, r.end, r.category))
            return Prediction(top, tuple(ranked), tuple(kept))
        return Prediction(top, tuple(ranked), tuple(_without_overlaps(results)))

    def _compose(self, entity: Entity, items: list[_Candidate]) -> list[tuple[int, EntityResult]]:
        """The entity's results from its components' matches, by its compositionSetting;
        each with how many kinds of component agree on it (the stronger result wins overlaps)."""
        out = []
        for cluster in _clusters(items):
            kinds = {c.component for c in cluster}
            if any(r not in kinds for r in entity.required):
                continue
            if entity.composition == "separateComponents":
                groups = [[c] for c in cluster]
            elif entity.composition == "requireExactOverlap":
                if len({(c.start, c.end) for c in cluster}) != 1:
                    continue
                groups = [cluster]
            elif entity.composition == "returnLongestOverlap":
                longest = max(cluster, key=lambda c: (c.end - c.start, -c.start))
                groups = [[c for c in cluster if (c.start, c.end) == (longest.start, longest.end)]]
            else:  # combineComponents
                groups = [cluster]
            for group in groups:
                start, end = min(c.start for c in group), max(c.end for c in group)
                out.append((len({c.component for c in group}), EntityResult(
                    entity.category, start, end,
                    tuple(dict.fromkeys(c.match.key for c in group if c.component == "list")),
                    tuple(dict.fromkeys((c.match.key, c.match.pattern) for c in group if c.component == "regex")),
                    tuple(c.match for c in group if c.component == "prebuilts"),
                    min(c.score for c in group))))
        return out

    def close(self) -> None:
        self.labeller.close()


def _clusters(items: list[_Candidate]) -> list[list[_Candidate]]:
    ordered = sorted(items, key=lambda c: (c.start, -c.end))
    clusters: list[list[_Candidate]] = []
    end = -1
    for c in ordered:
        if clusters and c.start < end:
            clusters[-1].append(c)
            end = max(end, c.end)
        else:
            clusters.append([c])
            end = c.end
    return clusters


def _without_overlaps(results: list[tuple[int, EntityResult]]) -> list[EntityResult]:
    """Across entities, overlapping results give way to the one more components agree on, then the longer."""
    ranked = sorted(results, key=lambda r: (-r[0], -(r[1].end - r[1].start), r[1].start, r[1].category))
    kept: list[EntityResult] = []
    for _, r in ranked:
        if all(r.end <= k.start or r.start >= k.end for k in kept):
            kept.append(r)
    return sorted(kept, key=lambda r: (r.start, r.end, r.category))


def _tuples(value: object) -> object:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value
