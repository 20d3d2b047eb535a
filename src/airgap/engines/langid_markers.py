"""Word markers for the close languages no packaged model separates.

Lingua has no Galician, Nepali or Dari, and its Serbian model reads Cyrillic only, so within
those groups the answer comes from words one language uses and its neighbours do not: spelling
(Galician "unha", "xa", "-axe"; Serbian ekavian "lepo", "deca" against ijekavian "lijepo",
"djeca"), grammar words (Nepali "छ", "लाई", "-हरू" against Hindi "है", "में"), and vocabulary
that differs by country (Dari "پوهنتون", "موتر" against Iranian "دانشگاه", "ماشین"). A marker
language wins only with more markers than each rival; otherwise the model's answer stands.
The lists come from the languages' grammars and standard vocabularies, not from any test set.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"[\s\d.,;:!?¿¡\"'“”„«»()\[\]{}…\-–—/।॥،؛؟۔٪]+")


def words(text: str) -> list[str]:
    """Lower-case words; a Persian zero-width non-joiner ends a word ("ولایت‌های": two words)."""
    text = text.lower().replace("\u200c", " ").replace("ي", "ی").replace("ك", "ک")
    return [w for w in _PUNCTUATION.split(text) if w]


def _count(tokens: list[str], vocabulary: frozenset[str]) -> int:
    return sum(token in vocabulary for token in tokens)


# --- Galician against Portuguese and Spanish ----------------------------------------------------
_GALICIAN = frozenset(
    "unha unhas nunha dunha cunha algunha ningunha coa coas polo pola polos polas máis tamén moito "
    "moita moitos moitas moi nin hoxe grazas lle lles dende despois vostede vostedes xente xeito "
    "xunto xuntos cousa cousas aínda onte mañá deica eiquí tódolos xa hai non cando xuño xullo "
    "xaneiro xoves mércores venres luns galego galega".split())
_PORTUGUESE = frozenset(
    "em um uns com pelo pela pelos pelas não uma umas muito muita muitos muitas também você vocês hoje "
    "já depois ainda coisa coisas ontem obrigado obrigada lhe lhes há nem quando".split())
_SPANISH = frozenset(
    "y los las del muy hoy ya hay una unas más también mucho mucha muchos muchas después todavía ayer "
    "mañana gracias le les ni cuando donde usted ustedes al es".split())


def _wins(target: str, first: str, own: int, rivals: int) -> bool:
    # Where fastText itself named the language Lingua lacks, a tie keeps it.
    return own > rivals or (first == target and own >= rivals)


def galician_or(code: str, text: str, first: str) -> str:
    """"gl" where Galician spelling outweighs Portuguese and Spanish, else ``code``.

    ``first`` is fastText's answer.
    """
    tokens = words(text)
    galician = _count(tokens, _GALICIAN)
    # x before a vowel starts many Galician words (xente, xogo, xuntos) and ends -axe nouns
    # (viaxe, paisaxe), where Portuguese writes j/g (gente, viagem) and Spanish j/g as well.
    galician += sum(1 for t in tokens if t not in _GALICIAN and (re.match(r"x[aeiouáéíóú]", t) or t.endswith("axe")))
    portuguese = _count(tokens, _PORTUGUESE) + sum(
        1 for t in tokens if t not in _GALICIAN and re.search(r"[ãõç]|lh|nh", t))
    spanish = _count(tokens, _SPANISH)
    return "gl" if _wins("gl", first, galician, max(portuguese, spanish)) else code


# --- Nepali against Hindi and Marathi -----------------------------------------------------------
_NEPALI = frozenset(
    "छ छु छौं छौँ छन् छस् छौ छैन छैनन् हुन्छ हुन्छन् पर्छ थियो थिए थिइन् भयो भन्नुभयो गर्नु गर्छ गर्छु "
    "गर्छन् गर्नुहोस् हुनुहुन्छ म मेरो मलाई तिमी तिम्रो तपाईं तपाईँ तपाईंको तपाईंलाई हामी हाम्रो हामीले "
    "उहाँ उनी उनको यो त्यो पनि र होइन अनि कहाँ किन कति कसरी धेरै राम्रो भोलि हिजो".split())
_NEPALI_ENDINGS = ("हरू", "बाट", "लाई", "न्छ", "र्छ", "छन्", "न्छन्", "नुहोस्", "नुभयो", "ँदै", "एको", "एकी")
_HINDI = frozenset(
    "है हैं था थी थे में से नहीं और भी यह वह मैं मुझे हम आप आपका आपकी आपके क्या रहा रही रहे करना करता "
    "करती करते कि ने का की को गया गई गए होगा हूँ हूं मेरा मेरी मेरे तुम उन्होंने जो लिए बहुत कुछ".split())
_MARATHI = frozenset(
    "आहे आहेत नाही आणि मी तू होते होता होती पण खूप आम्ही तुम्ही माझा माझी माझे काय कसा कशी झाले झाला".split())


def nepali_or(code: str, text: str, first: str) -> str:
    """"ne" where Nepali grammar words outweigh Hindi's and Marathi's, else ``code``."""
    tokens = words(text)
    nepali = _count(tokens, _NEPALI) + sum(
        1 for t in tokens if t not in _NEPALI and len(t) > 3 and t.endswith(_NEPALI_ENDINGS))
    rivals = max(_count(tokens, _HINDI), _count(tokens, _MARATHI) + sum("ळ" in t for t in tokens))
    return "ne" if _wins("ne", first, nepali, rivals) else code


# --- Dari against Iranian Persian ---------------------------------------------------------------
_DARI = frozenset(
    "پوهنتون پوهنځی موتر موترها سرک سرکها ولایت ولایات ولسوالی ولسوال شاروالی شاروال تشناب چوکی کلکین "
    "داکتر شفاخانه معارف افغانی افغانستان کابل هرات قندهار بلخ مزارشریف ننگرهار بدخشان غزنی پنجشیر "
    "بامیان کندز استم استی استیم استید استند صنف متعلم متعلمین محصل محصلین پولیس فابریکه انجنیر جرگه "
    "باشنده باشندگان قوماندان قوماندانی خارنوال تکسی بایسکل ثور جوزا سنبله عقرب حوت چاشت بیخی تیلفون".split())
_IRANIAN = frozenset(
    "دانشگاه ماشین خیابان استان شهرداری بیمارستان دکتر هستم هستی هستیم هستید هستند پلیس تاکسی دوچرخه "
    "مهندس کارخانه ایران تهران اصفهان شیراز مشهد تبریز فروردین اردیبهشت خرداد مرداد شهریور آبان آذر "
    "بهمن اسفند ناهار دانشجو".split())


def dari_or(code: str, text: str) -> str:
    """"prs" where Afghan vocabulary outweighs Iranian, else ``code``."""
    tokens = words(text)
    return "prs" if _count(tokens, _DARI) > _count(tokens, _IRANIAN) else code


# --- Serbian, Bosnian, Croatian in Latin script ---------------------------------------------------
# Standard Serbian is ekavian; Croatian and Bosnian are ijekavian: the reflex of one old vowel
# alone separates Serbian from the other two.
_EKAVIAN = frozenset(
    "lepo lep lepa lepe lepog mleko mleka hleb hleba vreme reka reke mesto mesta sever cvet dete deca "
    "decom dece decu nedelja nedelje nedelju devojka devojke sledeći sledeće sledeća sledećeg hteo htela "
    "hteli beo belo bela beli reč reči vest vesti zvezda leto leta lek telo ceo cela celo celi pre posle "
    "ovde gde nigde negde videti voleo volela voleti želeo želela razumeo živeo živela živeti sedeo "
    "sedeti uvek pesma pesme čovek čoveka sneg mesec deo delo verovatno levo vetar seme mera primer "
    "pevati pevao srećan".split())
_IJEKAVIAN = frozenset(
    "lijepo lijep lijepa lijepe lijepog mlijeko mlijeka hljeb hljeba vrijeme rijeka rijeke mjesto mjesta "
    "sjever cvijet dijete djeca djecom djece djecu nedjelja nedjelje nedjelju djevojka djevojke sljedeći "
    "sljedeće sljedeća sljedećeg htio htjela htjeli bijel bijelo bijela bijeli riječ riječi vijest vijesti "
    "zvijezda ljeto ljeta lijek tijelo cijeli cijela cijelo prije poslije ovdje gdje nigdje negdje "
    "vidjeti volio voljela voljeti želio željela razumio živio živjela živjeti sjedio sjediti uvijek "
    "pjesma pjesme čovjek čovjeka snijeg mjesec dio djelo vjerojatno lijevo vjetar sjeme mjera primjer "
    "pjevati pjevao".split())
_CROATIAN = frozenset(
    "tko što tisuća tisuću tisuće tjedan tjedna tjednu kruh kava kavu kave vlak vlaka kolodvor kolodvora "
    "sveučilište sveučilišta obitelj obitelji zrakoplov točno glazba glazbe kazalište nogomet tvrtka "
    "tvrtke povijest kemija uvjet uvjeti siječnja veljače ožujka travnja svibnja lipnja srpnja kolovoza "
    "rujna listopada studenoga prosinca sretan sretno zagreb zagrebu splitu osijek zadar hrvatski".split())
# Shared by Bosnian and Serbian where Croatian differs; the ekavian test then says which.
_BOSNIAN_SERBIAN = frozenset(
    "ko šta hiljada hiljadu hiljade sedmica sedmice sedmicu opština porodica porodice tačno voz voza "
    "fudbal pozorište hemija univerzitet univerziteta".split())
_BOSNIAN = frozenset(
    "kahva kahvu kahve džamija džamije džamiju historija historije lahko mehko bašta avlija sahat "
    "sarajevo sarajevu mostar tuzla zenica bosna bosne bosni bosanski".split())


def serbian_bosnian_croatian(ranked: list[str], text: str) -> str:
    """hr, bs or sr for a Latin-script text; ``ranked`` is Lingua's order (best first)."""
    tokens = words(text)
    ekavian, ijekavian = _count(tokens, _EKAVIAN), _count(tokens, _IJEKAVIAN)
    if ekavian > ijekavian:
        return "sr"
    croatian = _count(tokens, _CROATIAN)
    bosnian_serbian = _count(tokens, _BOSNIAN_SERBIAN)
    bosnian = _count(tokens, _BOSNIAN) + (bosnian_serbian if ijekavian else 0)
    if bosnian > croatian:
        return "bs"
    if croatian > bosnian + bosnian_serbian:
        return "hr"
    if bosnian_serbian > croatian:
        return next(code for code in ranked + ["bs"] if code in ("bs", "sr"))
    if ijekavian:  # ijekavian with nothing else: not standard Serbian
        return next(code for code in ranked + ["hr"] if code in ("hr", "bs"))
    return ranked[0]
