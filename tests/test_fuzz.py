"""Fuzzing every stage that reads text from strangers, with hostile Unicode.

The other suites fuzz with hypothesis' default text (test_normalize, test_dates, test_html);
this one aims at what real input carries and defaults rarely produce: bidi controls and
zero-width joiners between digits and letters, tashkeel and tatweel stacks, presentation
forms that NFKC expands, emoji ZWJ sequences, noncharacters, C0/C1 controls, line and
paragraph separators, HTML metacharacters, date fragments, and 100 KB strings. Lone
surrogates are generated too and replaced by U+FFFD, as a UTF-8 decoder does, because text
arriving from a file or from Telegram is valid UTF-8.

Contract under test: nothing raises, outputs keep their documented shape, and whatever the
bot would send is valid Telegram HTML (checked by the stand-in's validator) within 4096
UTF-16 units and encodable as UTF-8. atheris is not used: these are pure-Python functions
with no native parsing, where hypothesis' structured generation finds more than byte-level
coverage guidance would.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support.botapi import BotApiStub, check_markup, check_text, utf16_len

from khabar.bot import html as tg
from khabar.bot.live import LiveIndex
from khabar.bot.replies import passage_text, render_text
from khabar.index.analysis import get_analyzer, tokenize
from khabar.index.chunker import chunk
from khabar.index.corpus import CorpusError, read_article
from khabar.index.dates import parse_dates
from khabar.index.normalize import normalize

# ---- hostile text ----------------------------------------------------------------------------

INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2066\u2067"
    "\u2068\u2069\u061c\ufeff\u00ad"
)
MARKS = "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670\u06e1"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةىٱیکە" + "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٪،؛؟"
FORMS = "ﻻﷲﷺ﷽ﺣﻠﺐﰀﯽ"  # presentation forms; ﷺ and ﷽ expand to whole phrases under NFKC
ODD = (
    "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f\u2028\u2029\xa0\u3000\t\r\n"
    "\ufffd\ufffe\uffff\U0010ffff\ue000\U000e0001\u0301\u20dd\u034f"
)
HTML = "<>&\"';/=b i</b><i>&amp;&lt;&#"
EMOJI = ["😀", "👨\u200d👩\u200d👧", "👍🏽", "🇸🇾", "❤️", "🏳️\u200d🌈", "1️⃣"]
DATE_BITS = [
    "في ", "7 ", "١٠", "2016", "1438", "/", "-", "ديسمبر", "كانون الأول", "تشرين الثاني",
    "نهاية ", "منتصف ", "اليوم التالي", "بعد يومين", "صفر", "هـ", "31/02", "2016-12-07",
    "من 5 إلى 9 ", "بين ", "حلب", "مساكن هنانو", "؟",
]  # fmt: skip


def no_surrogates(text: str) -> str:
    """Lone surrogates → U+FFFD, as decoding bytes with errors="replace" gives."""
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)


characters = st.one_of(
    st.sampled_from(INVISIBLE + MARKS + ARABIC + FORMS + ODD + HTML),
    st.sampled_from(EMOJI),
    st.characters(),  # anything at all, surrogates included
)
pieces = st.one_of(characters, st.sampled_from(DATE_BITS))
hostile = st.lists(pieces, max_size=120).map("".join).map(no_surrogates)


def _repeat(seed_and_salt: tuple[str, str]) -> str:
    seed, salt = seed_and_salt
    body = (seed * (100_000 // len(seed) + 1))[:100_000]
    return no_surrogates(salt + body + salt)


huge = st.tuples(hostile.filter(bool), hostile).map(_repeat)  # ~100 KB
references = st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def examples(n: int) -> settings:
    return settings(max_examples=n, deadline=None, suppress_health_check=list(HealthCheck))


FUZZ, FUZZ_HUGE = examples(150), examples(6)  # make test
DEEP, DEEP_HUGE = examples(2000), examples(40)  # make soak


def test_make_test_fuzzes_the_same_examples_on_every_run() -> None:
    """A failure found in CI reproduces on any machine (make soak explores new examples)."""
    assert FUZZ.derandomize


HUGE_CASES = [
    "حلب " * 25_000,
    "\u200f" * 100_000,
    "ا" + "\u0651" * 100_000,
    "ﷺ" * 34_000,  # 100 KB of UTF-8; NFKC makes it 612,000 characters
    "👨\u200d👩\u200d👧" * 20_000,
    "<b>&amp;" * 12_500,
    "١٠ ديسمبر " * 10_000,
    "\u202e" + "في 7 ديسمبر 2016" * 6_000,
]


# ---- normalize, tokenize, analyzers ----------------------------------------------------------

_GONE = set(INVISIBLE + MARKS) - {"\u0654", "\u0655"}  # hamza above/below fold into letters


def check_normalize(text: str) -> None:
    folded = normalize(text)
    assert isinstance(folded, str)
    assert not _GONE & set(folded), sorted(_GONE & set(folded))


def check_analysis(text: str) -> None:
    folded = normalize(text)
    for token in tokenize(folded):
        assert re.fullmatch(r"[^\W\d_]+|\d+", token), token
    for name in ("light10", "words", "ngram3"):
        terms = get_analyzer(name)(text)
        assert all(isinstance(t, str) and t and not t.isspace() for t in terms)


@FUZZ
@given(hostile)
@example("".join(INVISIBLE + MARKS + FORMS + ODD))
def test_normalize_takes_hostile_text(text: str) -> None:
    check_normalize(text)


@FUZZ
@given(hostile)
def test_tokenizer_and_analyzers_take_hostile_text(text: str) -> None:
    check_analysis(text)


def check_every_stage(engine, text: str) -> None:
    check_normalize(text)
    check_analysis(text)
    check_dates(text, dt.date(2016, 12, 15))
    check_reply(engine, text)


@pytest.mark.parametrize("text", HUGE_CASES, ids=range(len(HUGE_CASES)))
def test_100kb_inputs_pass_every_stage(bundled_engine, text: str) -> None:
    check_every_stage(bundled_engine, text)


@FUZZ_HUGE
@given(huge)
def test_any_100kb_input_passes_every_stage(bundled_engine, text: str) -> None:
    check_every_stage(bundled_engine, text)


def test_normalize_is_idempotent_even_when_deleted_marks_separate_combining_ones() -> None:
    once = normalize("e\u0640\u0301")
    assert normalize(once) == once


# ---- dates -----------------------------------------------------------------------------------


def check_dates(text: str, reference: dt.date | None) -> None:
    norm = normalize(text)
    query = parse_dates(text, reference=reference)
    assert isinstance(query.rest, str)
    for span in query.spans:
        assert 0 <= span.begin < span.stop <= len(norm)
        assert (span.start.month, span.start.day) <= (span.end.month, span.end.day) or (
            span.start.year != span.end.year
        )
    for phrase in query.invalid:
        assert phrase


@FUZZ
@given(hostile, references)
def test_date_parser_takes_hostile_text(text: str, reference: dt.date | None) -> None:
    check_dates(text, reference)


# ---- the chunker, on articles made of arbitrary lines ----------------------------------------

line = st.lists(pieces, max_size=60).map("".join).map(no_surrogates)
article_lines = st.lists(line, min_size=1, max_size=25)
published = st.none() | st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31))


def write_article(folder: Path, lines: list[str], day: dt.date | None) -> Path:
    path = folder / "fuzz.txt"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    sidecar = path.with_suffix(".toml")
    if day is None:
        sidecar.unlink(missing_ok=True)
    else:
        sidecar.write_text(f"published = {day.isoformat()}\n", encoding="utf-8")
    return path


def check_article(folder: Path, lines: list[str], day: dt.date | None) -> list:
    path = write_article(folder, lines, day)
    try:
        raw = read_article(path)
    except CorpusError as exc:  # the documented refusals: no text, a title alone, NUL bytes
        assert "\n" not in str(exc)
        text = path.read_text(encoding="utf-8-sig")
        filled = [ln for ln in text.split("\n") if ln.strip()]
        binary = "\x00" in text and "a binary file" in str(exc)
        assert not filled or "a title and no paragraphs" in str(exc) or binary
        return []
    passages = chunk(raw)
    ids = [p.id for p in passages]
    assert len(ids) == len(set(ids))
    for passage in passages:
        number = passage.source.paragraph
        assert 1 <= number <= len(raw.blocks)
        assert passage.text.strip()
        if passage.date and passage.date_end:
            assert passage.date_end >= passage.date or passage.date.startswith("-")
        block = tg.passage_html(passage, [(0, len(passage.text))], number=1)
        assert_telegram_html(block)
        passage_text(passage, 1)
    return passages


@FUZZ
@given(article_lines, published)
def test_chunker_takes_any_article(tmp_path_factory, lines: list[str], day) -> None:
    check_article(tmp_path_factory.mktemp("article"), lines, day)


def test_chunker_takes_a_huge_line(tmp_path: Path) -> None:
    lines = ["عنوان", "في 7 ديسمبر، " + "حلب \u200f" * 20_000, "\u202e" * 50_000 + "."]
    assert check_article(tmp_path, lines, dt.date(2016, 12, 15))


# ---- what the bot sends ----------------------------------------------------------------------


def assert_telegram_html(message: str) -> str:
    """Valid for Telegram: parses as its HTML, 1–4096 UTF-16 units, encodable as UTF-8."""
    message.encode("utf-8")
    visible = check_text(message, "HTML")
    assert utf16_len(visible) <= tg.MAX_CHARS
    return visible


def check_reply(engine, question: str) -> None:
    answer = engine.ask(question)
    pages = tg.render_answer(answer, lambda t: engine.highlight(t, answer.terms))
    assert pages
    for page in pages:
        assert_telegram_html(page)
    assert isinstance(render_text(answer), str)
    assert_telegram_html(tg.echo(question) or "x")


@pytest.fixture(scope="module")
def answers(bundled_engine):
    from khabar.bot.telegram.answers import Answers

    return Answers(LiveIndex.serving(bundled_engine), top_k=3)


@FUZZ
@given(hostile)
def test_any_question_gives_valid_replies(bundled_engine, question: str) -> None:
    check_reply(bundled_engine, question)


@FUZZ
@given(hostile, st.integers(0, 40), st.none() | hostile)
@example(question="", offset=1, lead="\x0b")  # found by this test: a blank lead was a page
def test_the_bots_pages_buttons_and_inline_results_are_valid(
    answers, question: str, offset: int, lead: str | None
) -> None:
    """What the handlers send: pages at any offset, with a lead, their keyboard, inline results."""
    from khabar.bot.telegram.paging import Request
    from khabar.bot.telegram.texts import DATE_NOT_FOUND

    for kind in ("ask", "day"):
        text = question if kind == "ask" else "2016-12-07"
        request = Request(kind, text)
        rendered = answers.render(request, offset, lead)
        for page in rendered.pages:
            assert_telegram_html(page)
        markup = answers.keyboard(request, rendered)
        check_markup(markup.to_dict() if markup else None)
    assert_telegram_html(DATE_NOT_FOUND.format(phrase=tg.echo(question), egyptian="7 ديسمبر"))
    results, _ = answers.inline(question, offset)
    stub = BotApiStub()
    stub.inline_queries["q"] = False
    assert stub._api_answerInlineQuery(
        {"inline_query_id": "q", "results": [r.to_dict() for r in results]}
    )


# ---- the deep run (make soak) ------------------------------------------------------------------


@pytest.mark.soak
def test_deep_fuzz(bundled_engine, tmp_path_factory) -> None:
    """The properties above with 2,000 examples each, and 40 more 100 KB inputs."""
    folder = tmp_path_factory.mktemp("deep")

    def article(lines: list[str], day: dt.date | None) -> None:
        check_article(folder, lines, day)

    def reply(question: str) -> None:
        check_reply(bundled_engine, question)

    def every_stage(text: str) -> None:
        check_every_stage(bundled_engine, text)

    DEEP(given(hostile)(check_normalize))()
    DEEP(given(hostile)(check_analysis))()
    DEEP(given(hostile, references)(check_dates))()
    DEEP(given(article_lines, published)(article))()
    DEEP(given(hostile)(reply))()
    DEEP_HUGE(given(huge)(every_stage))()


def test_normalized_text_has_no_invisible_controls_left() -> None:
    """The documented fold, character by character over the whole BMP and beyond."""
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cs":
            continue
        folded = normalize(char)
        assert not _GONE & set(folded), hex(code)
