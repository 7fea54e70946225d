"""The Telegram renderer: every message valid for Telegram's HTML parser and within 4096."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.botapi import ApiError, BotApiStub, check_markup, check_text, parse_html, utf16_len

from khabar.bot import html as tg
from khabar.index.models import Citation, Hit, Passage
from khabar.index.search import Answer


def passage(n: int = 1, text: str = "نص الفقرة", heading: str | None = "عنوان") -> Passage:
    return Passage(
        id=f"t-p{n}",
        date="2016-12-07",
        date_source="explicit",
        heading=heading,
        text=text,
        source=Citation(article="t", title="مقال <تجريبي> & عنوان", paragraph=n),
    )


def answer_of(*passages: Passage, intent: str = "topic", query: str = "سؤال") -> Answer:
    hits = [Hit(passage=p, score=1.0) for p in passages]
    return Answer(query=query, intent=intent, hits=hits, total=len(hits), terms=["x"])


def valid(message: str) -> str:
    """What the user sees; raises like Telegram would on bad HTML, empty or long text."""
    return check_text(message, "HTML")


def test_article_and_user_text_is_escaped() -> None:
    nasty = passage(text='a < b && c > d <script>alert("x")</script> &amp;', heading="<i>x")
    [message] = tg.render_answer(answer_of(nasty))
    seen = valid(message)
    assert 'a < b && c > d <script>alert("x")</script> &amp;' in seen
    assert "مقال <تجريبي> & عنوان" in seen
    assert "<i>x" in seen


def test_matched_words_are_bold_and_overlaps_merge() -> None:
    text = "سقط حي مساكن هنانو"
    spans = [(7, 12), (8, 12), (13, 18), (100, 120)]  # overlapping and out-of-range spans
    block = tg.passage_html(passage(text=text), spans)
    assert "<b>مساكن</b> <b>هنانو</b>" in block
    assert valid(block)


def test_a_passage_block_reads_date_heading_text_citation() -> None:
    block = valid(tg.passage_html(passage(3), number=2))
    assert block.splitlines() == [
        "[2] 7 ديسمبر 2016 (8 ربيع الأول 1438) — عنوان",
        "نص الفقرة",
        "المصدر: مقال <تجريبي> & عنوان، الفقرة 3",
    ]


def test_long_answers_split_between_passages() -> None:
    passages = [passage(n, text=f"فقرة {n} " + "كلمة " * 180) for n in range(1, 31)]
    messages = tg.render_answer(answer_of(*passages))
    assert len(messages) > 1
    seen = [valid(m) for m in messages]
    assert all(utf16_len(s) <= tg.MAX_CHARS for s in seen)
    for n in range(1, 31):  # each passage whole, in exactly one message, in order
        holders = [i for i, s in enumerate(seen) if f"[{n}] " in s]
        assert len(holders) == 1
        assert f"الفقرة {n}" in seen[holders[0]]
        assert f"فقرة {n} " in seen[holders[0]]
    order = [int(s.split("[")[1].split("]")[0]) for s in seen]
    assert order == sorted(order)


def test_a_single_huge_passage_is_trimmed_with_an_ellipsis() -> None:
    huge = passage(text="حلب & <غزة> " * 2000)
    [message] = tg.render_answer(answer_of(huge))
    seen = valid(message)
    assert utf16_len(seen) <= tg.MAX_CHARS
    assert "…\n" in seen  # the citation survives
    assert seen.endswith("الفقرة 1")


def test_emoji_count_double_towards_the_limit() -> None:
    [message] = tg.render_answer(answer_of(passage(text="😀" * 5000)))
    assert utf16_len(valid(message)) <= tg.MAX_CHARS


def test_the_echoed_question_is_trimmed() -> None:
    answer = Answer(query="ب" * 6000 + " <&>", intent="no_match")
    [message] = tg.render_answer(answer)
    seen = valid(message)
    assert seen.startswith("🔎 «")
    assert len(seen.split("»")[0]) <= tg.ECHO_CHARS + 3
    assert "لا يتناول" in seen


def test_later_pages_drop_the_intro_and_number_on() -> None:
    answer = answer_of(passage(4), passage(5), intent="when").model_copy(
        update={"offset": 3, "when": ["2016-12-07"]}
    )
    [with_intro] = tg.render_answer(answer)
    [without] = tg.render_answer(answer, intro=False)
    assert valid(with_intro).startswith("في 7 ديسمبر")
    assert valid(without).startswith("[4] ")
    assert "[5] " in valid(without)


def test_a_button_question_leads_the_reply() -> None:
    [message] = tg.render_answer(answer_of(passage()), lead="❓ متى <سقط>؟")
    assert valid(message).startswith("❓ متى <سقط>؟\n\n")


def test_pack_never_exceeds_the_limit_even_for_foreign_blocks() -> None:
    messages = tg.pack(["<b>" + "ا" * 5000 + "</b>", "قصير"], limit=100)
    assert all(utf16_len(valid(m)) <= 100 for m in messages)


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("a < b", "can't parse entities"),
        ("AT&T", "can't parse entities"),
        ("<b>x", "Can't find end tag"),
        ("<b>x</i>", "can't parse entities"),
        ("<script>x</script>", "Unsupported start tag"),
        ("  ", "message text is empty"),
        ("<b></b>", "message text is empty"),
        ("ا" * 4097, "message is too long"),
    ],
)
def test_the_stand_in_is_as_strict_as_telegram(bad: str, why: str) -> None:
    with pytest.raises(ApiError, match=why):
        valid(bad)


def test_the_stand_in_accepts_what_telegram_accepts() -> None:
    ok = '<b>b</b><strong>s</strong><i>i</i><a href="http://x">l</a><code>c</code>'
    ok += '<pre><code class="language-py">p</code></pre><span class="tg-spoiler">s</span>'
    ok += "<tg-spoiler>t</tg-spoiler><blockquote>q</blockquote>&lt;&gt;&amp;&quot;&#1575;&#x627;"
    assert parse_html(ok).endswith('<>&"اا')


def test_the_stand_in_limits_buttons_and_inline_results() -> None:
    check_markup({"inline_keyboard": [[{"text": "ok", "callback_data": "x" * 64}]]})
    with pytest.raises(ApiError, match="BUTTON_DATA_INVALID"):
        check_markup({"inline_keyboard": [[{"text": "long", "callback_data": "ب" * 33}]]})
    stub = BotApiStub()
    stub.inline_queries["q"] = False
    result = {"type": "article", "title": "t",
              "input_message_content": {"message_text": "x"}}  # fmt: skip
    too_many = [{**result, "id": str(n)} for n in range(51)]
    with pytest.raises(ApiError, match="RESULTS_TOO_MUCH"):
        stub._api_answerInlineQuery({"inline_query_id": "q", "results": too_many})
    assert stub._api_answerInlineQuery({"inline_query_id": "q", "results": too_many[:50]})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=6000))
def test_any_question_renders_to_valid_telegram_html(bundled_engine, question: str) -> None:
    answer = bundled_engine.ask(question)
    messages = tg.render_answer(answer, lambda t: bundled_engine.highlight(t, answer.terms))
    assert messages
    for message in messages:
        assert utf16_len(valid(message)) <= tg.MAX_CHARS


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(min_size=1, max_size=9000).filter(str.strip),
    spans=st.lists(st.tuples(st.integers(0, 9000), st.integers(0, 9000)), max_size=8),
    lead=st.none() | st.text(max_size=700),
)
def test_any_passage_renders_to_valid_telegram_html(text: str, spans, lead) -> None:
    answer = answer_of(passage(text=text), passage(2, text=text[::-1] or "x"))
    pages = tg.render_answer(answer, lambda t: spans, lead=lead)
    for message in pages:
        assert utf16_len(valid(message)) <= tg.MAX_CHARS


TWO_SENTENCES = "قتل 12 مدنيا في سوق عربين. ووصلت قافلة الإغاثة إلى حلب."


def test_the_answering_sentence_is_bold() -> None:
    answer = (27, len(TWO_SENTENCES))
    block = tg.passage_html(passage(text=TWO_SENTENCES), [], answer=answer)
    assert "<b>ووصلت قافلة الإغاثة إلى حلب.</b>" in block


def test_matched_words_inside_the_answer_are_underlined() -> None:
    answer = (27, len(TWO_SENTENCES))
    block = tg.passage_html(passage(text=TWO_SENTENCES), [(33, 38), (16, 19)], answer=answer)
    assert "<u>قافلة</u>" in block


def test_matched_words_outside_the_answer_stay_bold() -> None:
    answer = (27, len(TWO_SENTENCES))
    block = tg.passage_html(passage(text=TWO_SENTENCES), [(33, 38), (16, 19)], answer=answer)
    assert "<b>سوق</b>" in block


def test_an_answer_cut_by_the_limit_stays_valid_markup() -> None:
    long_text = "جملة أولى. " + "كلمة " * 2000 + "نهاية."
    block = tg.passage_html(
        passage(text=long_text), [(0, 4)], limit=300, answer=(11, len(long_text))
    )
    assert valid(block).endswith("الفقرة 1")
