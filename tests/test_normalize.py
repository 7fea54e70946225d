"""Spellings a reader types must meet the spellings the article uses."""

import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.index import analysis
from khabar.index import normalize as normalize_module
from khabar.index.analysis import get_analyzer, stopwords, tokenize, words
from khabar.index.normalize import normalize


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("اكد", "أكد"),  # hamza dropped
        ("الامم", "الأمم"),
        ("اسرائيل", "إسرائيل"),
        ("المدينه", "المدينة"),  # ه for ة
        ("مستشفي", "مستشفى"),  # ي for ى
        ("مسوول", "مسؤول"),
        ("تَمَكَّنَ", "تمكن"),  # tashkeel
        ("حلـــب", "حلب"),  # tatweel
        ("ﺣﻠﺐ", "حلب"),  # presentation forms
        ("تشرین", "تشرين"),  # Persian yeh
        ("١٠", "10"),  # Arabic-Indic digits
        ("۱۵", "15"),  # Persian digits
        ("٪", "%"),
        ("ٱلحرب", "الحرب"),  # alef wasla
        ("ح\u200cل\u200fب", "حلب"),  # zero-width and bidi marks
        ("Aleppo", "aleppo"),
    ],
)
def test_variants_fold_to_one_form(typed: str, written: str) -> None:
    assert normalize(typed) == normalize(written)


def test_alef_maksura_is_not_turned_into_alef() -> None:
    # pyarabic's normalize_alef would make على into علا; we keep it as علي.
    assert normalize("على") == "علي"


def test_hamza_seats_do_not_become_bare_hamza() -> None:
    # pyarabic's default normalize_hamza would give ءكد; readers type اكد.
    assert normalize("أكد") == "اكد"


def test_tokenize_splits_digits_from_letters() -> None:
    assert tokenize(normalize("لـ7 أيام 10%")) == ["ل", "7", "ايام", "10"]


def test_stopwords_are_compared_in_normalized_form() -> None:
    stop = stopwords()
    assert normalize("إلى") in stop
    assert normalize("أن") in stop
    assert normalize("متى") in stop
    assert "ماي" not in stop
    assert "جانفي" not in stop


def test_a_question_frame_typed_as_one_word_is_still_a_frame() -> None:
    assert words("ماهو الفيتو؟") == words("ما هو الفيتو؟")


def test_a_misspelt_relative_pronoun_is_no_content_word() -> None:
    assert words("الدول اللتى صوتت") == words("الدول التي صوتت")


def test_month_names_survive_the_stemmer() -> None:
    light = get_analyzer("light10")
    assert light("جانفي ماي دجنبر نونبر") == ["جانفي", "ماي", "دجنبر", "نونبر"]


def test_light_stemmer_meets_inflected_forms() -> None:
    light = get_analyzer("light10")
    assert light("المستشفيات")[0] == light("مستشفى")[0]
    assert light("والمدينة") == light("مدينة")


@pytest.mark.parametrize(
    ("glued", "plain"), [("بنتيجة", "النتيجة"), ("لحساب", "الحساب"), ("لإطلاق", "إطلاق")]
)
def test_a_glued_preposition_comes_off_a_word_general_arabic_writes_bare(
    glued: str, plain: str
) -> None:
    light = get_analyzer("light10")
    assert light(glued) == light(plain)


@pytest.mark.parametrize(("word", "rest"), [("بريد", "ريد"), ("لجنة", "جنة"), ("بيان", "يان")])
def test_a_words_own_first_letter_stays_on(word: str, rest: str) -> None:
    light = get_analyzer("light10")
    assert light(word) != light(rest)


def test_a_pronoun_on_a_noun_does_not_hide_it() -> None:
    light = get_analyzer("light10")
    assert light("إجلاؤهم") == light("الإجلاء")


def test_a_feminine_noun_with_a_pronoun_meets_its_plain_form() -> None:
    light = get_analyzer("light10")
    assert light("نهايتها") == light("النهاية")


@pytest.mark.parametrize(
    ("with_his", "plain"),
    [("روايته", "الرواية"), ("حكومته", "الحكومة"), ("زيارته", "زيارة"), ("حياته", "الحياة")],
)
def test_a_feminine_noun_with_his_meets_its_plain_form(with_his: str, plain: str) -> None:
    light = get_analyzer("light10")
    assert light(with_his) == light(plain)


@pytest.mark.parametrize(
    ("word", "plain"),
    [("مؤقتة", "مؤقت"), ("لافتة", "لافت"), ("قراراته", "القرارات"), ("سكوته", "السكوت")],
)
def test_a_root_or_plural_teh_before_heh_stays(word: str, plain: str) -> None:
    light = get_analyzer("light10")
    assert light(word) == light(plain)


def test_a_dual_pronoun_comes_off() -> None:
    light = get_analyzer("light10")
    assert light("أبنائهما") == light("أبناء")


def test_a_root_teh_stays_before_a_pronoun() -> None:
    light = get_analyzer("light10")
    assert light("بيتهم") == light("البيت")


def test_short_words_ending_like_a_pronoun_stay_whole() -> None:
    light = get_analyzer("light10")
    assert light("الفهم") == ["فهم"]


def test_a_plural_ending_leaves_a_three_letter_stem() -> None:
    """ون/ين/ان mark a plural or a dual of a word of three letters or more: "الأمين" is not
    "أمه" with "ين" on it, and "بيان" is "بيانات"'s singular, not "بي"."""
    light = get_analyzer("light10")
    assert light("الأمين") != light("أمه")


def test_a_singular_meets_its_feminine_plural() -> None:
    light = get_analyzer("light10")
    assert light("بيان") == light("البيانات")


def test_a_plural_ending_still_comes_off_a_longer_word() -> None:
    light = get_analyzer("light10")
    assert light("المعلمين") == light("معلمون")


@given(st.text())
def test_normalize_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text())
def test_every_analyzer_takes_any_text(text: str) -> None:
    for name in ("words", "light10", "ngram3"):
        terms = get_analyzer(name)(text)
        assert all(isinstance(t, str) and t for t in terms)


@pytest.mark.parametrize("written", ["اتفاقاً", "اتفاقًا"])  # the mark after or before the alef
def test_a_tanween_alef_goes_with_its_mark(written: str) -> None:
    assert normalize(written) == normalize("اتفاق")


def test_a_tanween_on_hamza_keeps_the_hamza() -> None:
    assert normalize("جزءاً") == normalize("جزء")


def test_an_unmarked_final_alef_is_the_words_own() -> None:
    assert normalize("أمريكا") == "امريكا"


def test_a_tanween_alef_inside_a_word_stays() -> None:
    assert normalize("اًب") == "اب"


def test_a_stopword_written_with_tanween_stays_a_stopword() -> None:
    assert words("أيضاً") == []


@pytest.mark.parametrize(
    "content",
    ["ولاية", "العامة", "وفاة", "ليلة", "النفس"],  # folded onto "ولأية", "ألعامة", …
)
def test_a_noun_a_folded_stopword_spells_stays_a_word(content: str) -> None:
    assert words(content) == [normalize(content)]


@pytest.mark.parametrize("stop", ["إلى", "أن", "لأن", "إذا"])
def test_a_stopword_spelt_with_hamza_is_still_one(stop: str) -> None:
    assert words(stop) == []


def test_threads_asking_at_once_make_the_stopwords_once(monkeypatch) -> None:
    """A bot answers its first questions on several threads: each building the list (and
    loading the word list behind it) starved the event loop."""
    made = []

    def slow() -> frozenset[str]:
        made.append(1)
        time.sleep(0.05)
        return frozenset({"في"})

    monkeypatch.setattr(analysis, "_STOPWORDS", [])
    monkeypatch.setattr(analysis, "_stopwords", slow)
    threads = [threading.Thread(target=analysis.stopwords) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1


def test_a_word_whose_root_begins_with_waw_keeps_it() -> None:
    """ "وزارة" is not "زار" (he visited) with "and" before it."""
    light = get_analyzer("light10")
    assert light("وزارة") != light("زار")


def test_and_still_comes_off_a_verb() -> None:
    light = get_analyzer("light10")
    assert light("وقال") == light("قال")


@pytest.mark.parametrize("module", ["openings", "dates", "answers", "anchors", "search", "chunker"])
def test_the_patterns_read_on_normalized_text_are_written_normalized(module: str) -> None:
    """A hamza or ta marbuta in a pattern over normalized text never matches ("الفائت")."""
    import importlib
    import re

    def patterns(value: object) -> list[re.Pattern[str]]:
        if isinstance(value, re.Pattern):
            return [value]
        if isinstance(value, tuple):
            return [p for item in value for p in patterns(item)]
        return []

    found = [
        p
        for v in vars(importlib.import_module(f"khabar.index.{module}")).values()
        for p in patterns(v)
    ]
    unwritten = [p.pattern for p in found if re.search("[أإآئؤةى]", p.pattern)]
    assert unwritten == []


@pytest.mark.parametrize(
    ("unmarked", "plain"),
    [("قمرا", "قمرًا"), ("عارضا", "العارضين"), ("فريقا", "الفريق"), ("عاما", "العام"),
     ("صناعيا", "صناعية"), ("قالا", "قال"), ("مقعدا", "مقعدًا")],
)  # fmt: skip
def test_a_tanween_alef_written_without_its_mark_comes_off(unmarked: str, plain: str) -> None:
    light = get_analyzer("light10")
    assert light(unmarked) == light(plain)


@pytest.mark.parametrize(
    ("word", "other"),
    [("أمريكا", "أمريكي"), ("دنيا", "دني"), ("جدا", "جد"), ("سوريا", "سوري"), ("صوفيا", "صوفي")],
)
def test_a_word_of_its_own_ending_in_alef_keeps_it(word: str, other: str) -> None:
    light = get_analyzer("light10")
    assert light(word) != light(other)


@pytest.mark.parametrize(
    ("dual", "plain"), [("الدولتان", "الدولة"), ("المدينتين", "مدينة"), ("مرتين", "مرة")]
)
def test_a_feminine_nouns_dual_meets_its_singular(dual: str, plain: str) -> None:
    light = get_analyzer("light10")
    assert light(dual) == light(plain)


def test_a_plural_of_a_word_ending_in_teh_keeps_it() -> None:
    light = get_analyzer("light10")
    assert light("الثابتين") == light("ثابت")


@pytest.mark.parametrize(
    ("one", "other"), [("مسئول", "مسؤول"), ("شئون", "شؤون"), ("المسئولين", "المسؤولين")]
)
def test_a_hamza_before_waw_on_either_seat_is_one_spelling(one: str, other: str) -> None:
    assert normalize(one) == normalize(other)


@pytest.mark.parametrize("word", ["الأب", "وابنه", "ابنة", "الأخ", "للأب"])
def test_family_words_are_content_words(word: str) -> None:
    assert words(word) != []


@pytest.mark.parametrize("word", ["أم", "آب"])
def test_or_and_august_stay_out_of_the_words(word: str) -> None:
    """ "أم" is also "or", and "آب" (August) is read by the date grammar, not the words."""
    assert words(word) == []


_FOLDED = "".join(map(chr, normalize_module._FOLD))


@given(st.text(alphabet=st.sampled_from(_FOLDED + "ابتةىيهحلب 0123456789.،؟\n\u0640eE")))
def test_the_fast_fold_folds_what_the_table_says(text: str) -> None:
    assert normalize_module.fold(text) == text.translate(normalize_module._FOLD)
