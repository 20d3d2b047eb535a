"""The hand-written Spanish opinion lexicon (``lexicons/es_hand_written_lexicon.txt``) as word forms.

Spanish inflects what carries the opinion: "buena", "buenísimos", "calentito", "me encantó",
"recomendarlo". The scorer looks words up as written (with a crude ending strip as fallback), so
each lemma is expanded here once, at load, into the forms text uses: gender and number, the
-ísimo superlative (a little stronger), the -ito diminutive, a regular verb's common tenses, and
the same forms without their accent, as chat and reviews are often typed ("increible",
"pesimo"). A form written in the file wins over a derived one; among derived forms the first
lemma wins.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

# "buenísimo" is stronger than "bueno", but not beyond VADER's strongest words.
_SUPERLATIVE_SCALE = 1.5
_STRONGEST = 3.2

_AR = ("o", "a", "as", "an", "amos", "ó", "é", "aron", "aste", "aba", "aban", "ando", "ará", "arán",
       "aría", "arían", "ar", "e", "en", "ado", "ada", "ados", "adas")
_ER = ("o", "e", "es", "en", "emos", "ió", "í", "ieron", "iste", "ía", "ían", "iendo", "erá", "erán",
       "ería", "erían", "er", "a", "an", "ido", "ida", "idos", "idas")
_IR = ("o", "e", "es", "en", "imos", "ió", "í", "ieron", "iste", "ía", "ían", "iendo", "irá", "irán",
       "iría", "irían", "ir", "a", "an", "ido", "ida", "idos", "idas")
_CLITICS = ("lo", "la", "los", "las", "le", "les", "me", "te", "nos", "se")


def load(path: Path) -> dict[str, float]:
    exact: dict[str, float] = {}
    derived: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, value, kind = line.split("\t")
        lemma, valence = lemma.strip().lower(), float(value)
        exact.setdefault(lemma, valence)
        for form, v in forms(lemma, valence, kind.strip()):
            derived.setdefault(form, v)
    table = dict(derived)
    table.update(exact)
    for form, v in list(table.items()):
        table.setdefault(unaccented(form), v)
    return table


def forms(lemma: str, valence: float, kind: str) -> list[tuple[str, float]]:
    if kind == "a":
        return _adjective(lemma, valence)
    if kind == "n":
        return [(lemma, valence), (_plural(lemma), valence)]
    if kind == "v":
        return _verb(lemma, valence)
    return [(lemma, valence)]


def unaccented(word: str) -> str:
    """Without acute accents and diaeresis; ñ is a letter of its own and stays."""
    out = []
    for ch in word:
        if ch in "ñÑ":
            out.append(ch)
            continue
        out.append("".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn"))
    return "".join(out)


def _adjective(lemma: str, valence: float) -> list[tuple[str, float]]:
    strong = max(-_STRONGEST, min(_STRONGEST, valence * _SUPERLATIVE_SCALE))
    found = [(lemma, valence)]
    if lemma.endswith("o"):
        stem = lemma[:-1]
        found += [(stem + e, valence) for e in ("a", "os", "as")]
        found += [(w, valence) for w in _suffixed(stem, "it")]
        if not lemma.endswith("ísimo"):
            found += [(w, strong) for w in _suffixed(stem, "ísim")]
    elif lemma.endswith("e"):
        found.append((lemma + "s", valence))
        if lemma.endswith("ble"):
            found += [(w, strong) for w in _suffixed(lemma[:-3] + "bil", "ísim")]
        else:
            found += [(w, strong) for w in _suffixed(lemma[:-1], "ísim")]
    elif lemma.endswith(("or", "ón", "ín", "án", "és")):
        base = unaccented(lemma[:-2]) + unaccented(lemma[-2:])
        found += [(base + e, valence) for e in ("a", "es", "as")]
    else:
        found.append((_plural(lemma), valence))
    return found


def _suffixed(stem: str, suffix: str) -> list[str]:
    """``stem`` + a suffix starting with i/í and its four endings, with the spelling changes
    Spanish makes before i ("rico" -> "riquísimo", "largo" -> "larguísimo", "feliz" -> "felicísimo")."""
    stem = unaccented(stem)
    if stem.endswith("c"):
        stem = stem[:-1] + "qu"
    elif stem.endswith("g"):
        stem = stem[:-1] + "gu"
    elif stem.endswith("z"):
        stem = stem[:-1] + "c"
    return [stem + suffix + e for e in ("o", "a", "os", "as")]


def _plural(word: str) -> str:
    if word[-1] in "aeiouáéó":
        return word + "s"
    if word.endswith("z"):
        return word[:-1] + "ces"
    if word.endswith(("ón", "ión", "án", "én", "ín", "és")):
        return word[:-2] + unaccented(word[-2]) + word[-1] + "es"
    return word + "es"


def _verb(infinitive: str, valence: float) -> list[tuple[str, float]]:
    stem, ending = infinitive[:-2], infinitive[-2:]
    endings = {"ar": _AR, "er": _ER, "ir": _IR, "ír": _IR}.get(ending, ())
    found = [(stem + e, valence) for e in endings]
    found += [(infinitive + c, valence) for c in _CLITICS]
    return found
