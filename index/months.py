"""Month names as Arabic writers spell them, in every regional family, keyed by normalized form.

One table serves the chunker (dating passages), the date grammar (dating questions) and the
analyzer (month names are keywords: never stemmed, never dropped as stopwords). Keys are passed
through :func:`index.normalize.normalize`, so أبريل/إبريل/ابريل or آذار/اذار are one entry.
"""

from __future__ import annotations

from functools import cache

from khabar.index.normalize import normalize

# Gregorian months: Egyptian/Gulf, Levantine/Iraqi, Algerian/Tunisian, Moroccan, Mauritanian;
# and the web's common misspellings (ديسيمبر).
GREGORIAN: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "كانون ثاني", "جانفي", "جانفييه", "ينار"),
    2: ("فبراير", "شباط", "فيفري", "فبرير"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "إبريل", "ابريل", "نيسان", "أفريل"),
    5: ("مايو", "أيار", "ماي"),
    6: ("يونيو", "يونيه", "يونية", "حزيران", "جوان"),
    7: ("يوليو", "يوليه", "يولية", "تموز", "جويلية", "جويليه", "يوليوز"),
    8: ("أغسطس", "اغسطس", "آب", "أوت", "غشت", "أغشت"),
    9: ("سبتمبر", "أيلول", "شتنبر", "شتمبر"),
    10: ("أكتوبر", "تشرين الأول", "تشرين أول", "اكتوبر"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر", "نوفيمبر"),
    12: ("ديسمبر", "كانون الأول", "كانون أول", "دجنبر", "دجمبر", "ديسيمبر"),
}

# Hijri months (Umm al-Qura), with the variants in use (ربيع الآخر/الثاني, ذو/ذي القعدة …).
HIJRI: dict[int, tuple[str, ...]] = {
    1: ("محرم", "المحرم"),
    2: ("صفر",),
    3: ("ربيع الأول", "ربيع الاول", "ربيع أول"),
    4: ("ربيع الآخر", "ربيع الثاني", "ربيع الاخر", "ربيع ثاني"),
    5: ("جمادى الأولى", "جمادى الأول", "جمادى الاولى", "جمادي الاولي"),
    6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر", "جمادى الثاني", "جمادى الاخرة"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة", "ذا القعدة"),
    12: ("ذو الحجة", "ذي الحجة", "ذا الحجة"),
}

# How replies name a month: the Egyptian/Gulf names the bundled article itself uses.
GREGORIAN_DISPLAY = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
# The Levantine/Iraqi names, for showing that any family's names are read.
LEVANTINE_DISPLAY = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
HIJRI_DISPLAY = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)


@cache
def gregorian_forms() -> dict[str, int]:
    """Normalized month name (one or two words) → month number."""
    return {normalize(name): month for month, names in GREGORIAN.items() for name in names}


@cache
def hijri_forms() -> dict[str, int]:
    """Normalized Hijri month name → month number."""
    return {normalize(name): month for month, names in HIJRI.items() for name in names}


@cache
def month_words() -> frozenset[str]:
    """Every single normalized word that is part of a month name (كانون, الثاني, ماي …).

    The analyzer keeps these as keywords; only the distinctive ones matter, but keeping all is
    harmless because words like الثاني are not stopwords either.
    """
    words: set[str] = set()
    for form in (*gregorian_forms(), *hijri_forms()):
        words.update(form.split())
    return frozenset(words)
