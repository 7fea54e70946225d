"""The Telegram bot end to end: the real Application (or the real `khabar telegram` process)
against a strict local Bot API stand-in; assertions are on what a user receives."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.botapi import BOT_USERNAME, TOKEN, ApiError, BotApiStub, Call
from support.clock import FakeClock
from support.processes import ROOT, free_port, khabar_command, process_env, stop

from khabar.bot.telegram.callbacks import Example, encode
from khabar.bot.telegram.paging import FloodGate
from khabar.bot.telegram.texts import MORE, STALE
from khabar.index.search import Engine

FIRST_EXAMPLE = encode(Example.of(0, "متى سقط حي مساكن هنانو؟"))  # the bundled /start's first

GROUP = -1001234567890


# ---- helpers ------------------------------------------------------------------------------


def buttons(call: Call | dict[str, Any]) -> list[tuple[str, str]]:
    """(text, callback_data or other action) of every inline button under a message."""
    markup = call.params.get("reply_markup") if isinstance(call, Call) else call.get("reply_markup")
    if not markup:
        return []
    return [
        (b["text"], b.get("callback_data") or b.get("switch_inline_query", ""))
        for row in markup["inline_keyboard"]
        for b in row
    ]


async def say(botapi: BotApiStub, user: int, text: str, replies: int = 1, **kw: Any) -> list[Call]:
    """Send a message as ``user`` and wait for ``replies`` new messages in that chat."""
    chat = kw.get("chat_id", user)
    before = len(botapi.sent(chat))
    botapi.message(user, text, **kw)
    await botapi.wait(lambda: len(botapi.sent(chat)) >= before + replies)
    return botapi.sent(chat)[before:]


async def press(botapi: BotApiStub, user: int, call: Call, data: str) -> str:
    """Tap a button under the bot's message and wait until the tap is answered."""
    query_id = botapi.press(user, botapi.bot_message(call), data)
    await botapi.wait(lambda: botapi.callbacks[query_id])
    return query_id


def answered_text(botapi: BotApiStub, query_id: str) -> str | None:
    answers = botapi.calls_to("answerCallbackQuery")
    call = next(c for c in answers if c.params["callback_query_id"] == query_id)
    return call.params.get("text")


async def settle(botapi: BotApiStub) -> None:
    """Let every queued update be fetched and processed (for "nothing was sent" checks)."""
    await botapi.wait(lambda: not botapi._updates)
    await asyncio.sleep(0.3)


def no_errors(botapi: BotApiStub) -> None:
    assert [(c.method, c.description) for c in botapi.errors()] == []


# ---- conversations ------------------------------------------------------------------------


async def test_start_shows_examples_that_ask_when_tapped(start_bot, botapi: BotApiStub) -> None:
    async with start_bot():
        [start] = await say(botapi, 11, "/start")
        assert "مأساة حلب" in start.visible
        examples = [data for _, data in buttons(start)]
        assert examples[0] == FIRST_EXAMPLE
        assert len(examples) == 3
        before = len(botapi.sent(11))
        query = await press(botapi, 11, start, FIRST_EXAMPLE)
        await botapi.wait(lambda: len(botapi.sent(11)) > before)
        reply = botapi.sent(11)[-1].visible
        assert reply.startswith("❓ متى سقط حي مساكن هنانو؟\n\nفي 26 نوفمبر 2016")
        assert answered_text(botapi, query) is None
        [help_] = await say(botapi, 11, "/help")
        assert "/date" in help_.visible
        assert "@" + BOT_USERNAME in help_.visible
    commands = botapi.calls_to("setMyCommands")[0].params["commands"]
    assert [c["command"] for c in commands] == ["start", "help", "date", "timeline", "source"]
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in c["description"]) for c in commands)
    deletes = botapi.calls_to("deleteWebhook")
    assert deletes
    assert not any(c.params.get("drop_pending_updates") for c in deletes)
    no_errors(botapi)


async def test_another_archive_is_offered_its_own_examples(start_bot, botapi: BotApiStub) -> None:
    engine = Engine.build([ROOT / "tests" / "articles" / "central-bank.txt"])
    async with start_bot(index=engine):
        [start] = await say(botapi, 13, "/start")
        [help_] = await say(botapi, 13, "/help")
        before = len(botapi.sent(13))
        await press(botapi, 13, start, buttons(start)[0][1])
        await botapi.wait(lambda: len(botapi.sent(13)) > before)
        reply = botapi.sent(13)[-1].visible
        stale = await press(botapi, 13, start, encode(Example.of(2, "لا يعرضه الفهرس")))
    assert [text for text, _ in buttons(start)] == ["ماذا حدث في 6 مارس 2024؟"]
    assert "هنانو" not in help_.visible
    assert reply.startswith("❓ ماذا حدث في 6 مارس 2024؟")
    assert answered_text(botapi, stale) == STALE
    no_errors(botapi)


async def test_an_example_button_from_another_archive_is_stale(
    start_bot, botapi: BotApiStub
) -> None:
    """Redeployed on other articles, the old /start's first button must not ask their first
    example in its place."""
    engine = Engine.build([ROOT / "tests" / "articles" / "central-bank.txt"])
    async with start_bot():
        [start] = await say(botapi, 14, "/start")
    async with start_bot(index=engine):
        before = len(botapi.sent(14))
        query = await press(botapi, 14, start, buttons(start)[0][1])
        await settle(botapi)
    assert (answered_text(botapi, query), len(botapi.sent(14))) == (STALE, before)


def undated_archive(folder: Path) -> Engine:
    for name, text in (("one", "نقاش حول التعليم عن بعد"), ("two", "نقاش حول المدارس الخاصة")):
        (folder / f"{name}.txt").write_text(f"{text}\n{text} يتواصل بين الأهالي.\n")
    return Engine.build([folder])


async def test_date_help_shows_a_day_of_this_archive(start_bot, botapi: BotApiStub) -> None:
    engine = Engine.build([ROOT / "tests" / "articles" / "central-bank.txt"])
    async with start_bot(index=engine):
        [help_] = await say(botapi, 19, "/help")
        [usage] = await say(botapi, 19, "/date")
        [not_found] = await say(botapi, 19, "/date مرحبا")
    assert "/date 6 مارس 2024" in help_.visible
    assert "٦ آذار ٢٠٢٤" in usage.visible
    assert "/date 6 مارس 2024" in not_found.visible
    assert not any(
        "ديسمبر" in c["description"] for c in botapi.calls_to("setMyCommands")[0].params["commands"]
    )


async def test_start_on_undated_articles_counts_them_and_says_what_to_do(
    start_bot, botapi: BotApiStub, tmp_path: Path
) -> None:
    async with start_bot(index=undated_archive(tmp_path)):
        [start] = await say(botapi, 15, "/start")
    assert "مقالان" in start.visible
    assert "مؤرَّخة" not in start.visible
    assert "اكتب سؤالك بالعربية" in start.visible


async def test_an_archive_of_several_articles_is_spoken_of_as_the_articles(
    start_bot, botapi: BotApiStub, tmp_path: Path
) -> None:
    async with start_bot(index=undated_archive(tmp_path)):
        [unknown] = await say(botapi, 17, "من فاز بكأس العالم لكرة القدم؟")
        [help_] = await say(botapi, 17, "/help")
        botapi.sticker(17)
        await botapi.wait(lambda: len(botapi.sent(17)) == 3)
    hint = botapi.sent(17)[-1].visible
    assert "المقالات لا تتناول هذا السؤال" in unknown.visible
    assert "اكتب سؤالًا عن المقالات" in help_.visible
    assert "اكتب سؤالك عن المقالات" in hint
    no_errors(botapi)


async def test_a_timeline_of_one_day_names_it_once(
    start_bot, botapi: BotApiStub, tmp_path: Path
) -> None:
    (tmp_path / "quake.txt").write_text("زلزال\nفي 5 يناير 2024، ضرب زلزال المدينة.\n")
    async with start_bot(index=Engine.build([tmp_path])):
        [timeline] = await say(botapi, 16, "/timeline")
    assert timeline.visible.count("5 يناير 2024") == 1


async def test_a_timeline_says_what_is_dated_by_month_or_year_only(
    start_bot, botapi: BotApiStub, tmp_path: Path
) -> None:
    (tmp_path / "quake.txt").write_text(
        "زلزال\nفي 5 يناير 2024، ضرب زلزال المدينة.\nوفي عام 2011، ضرب زلزال آخر المنطقة.\n"
    )
    async with start_bot(index=Engine.build([tmp_path])):
        [timeline] = await say(botapi, 22, "/timeline")
    assert "/date عام 2011" in timeline.visible


async def test_a_timeline_of_years_only_is_not_said_to_date_nothing(
    start_bot, botapi: BotApiStub, tmp_path: Path
) -> None:
    (tmp_path / "life.txt").write_text(
        "سيرة\nولد الكاتب عام 1948 في دمشق.\nوفي عام 1975، انتقل إلى فرنسا.\n"
    )
    async with start_bot(index=Engine.build([tmp_path])):
        [timeline] = await say(botapi, 23, "/timeline")
    assert "/date عام 1975" in timeline.visible


async def test_the_timeline_pages_on_in_the_same_message(
    start_bot, botapi: BotApiStub, tmp_path: Path
) -> None:
    days = [f"في {day} مارس 2024، اجتمع المجلس للمرة {day}." for day in range(1, 31)]
    (tmp_path / "council.txt").write_text("\n".join(["جلسات المجلس", *days]) + "\n")
    async with start_bot(index=Engine.build([tmp_path])):
        [timeline] = await say(botapi, 18, "/timeline")
        first = [data for _, data in buttons(timeline)]
        await press(botapi, 18, timeline, "t:1")
        await botapi.wait(lambda: buttons(botapi.bot_message(timeline)) != buttons(timeline))
        second = [data for _, data in buttons(botapi.bot_message(timeline))]
    assert (first[-1], "d:2024-03-25" in second, "t:0" in second) == ("t:1", True, True)
    no_errors(botapi)


async def test_a_question_in_english_is_asked_for_in_arabic(start_bot, botapi: BotApiStub) -> None:
    async with start_bot():
        [reply] = await say(botapi, 17, "When did Aleppo fall?")
    assert "بالعربية" in reply.visible


async def test_when_question_leads_with_the_date_and_cites(start_bot, botapi: BotApiStub) -> None:
    async with start_bot():
        [reply] = await say(botapi, 12, "متى سقط حي مساكن هنانو؟")
    assert reply.visible.startswith("في 26 نوفمبر 2016 (")
    assert "تمكن النظام من السيطرة على حي مساكن هنانو" in reply.visible
    assert "الفقرة 5" in reply.visible
    assert "هجوم واسع" in reply.visible
    assert "<u>مساكن</u> <u>هنانو</u>" in reply.params["text"]  # inside the bold answer
    assert reply.params["parse_mode"] == "HTML"
    typing = botapi.calls_to("sendChatAction")
    assert typing
    assert typing[0].params == {"chat_id": 12, "action": "typing"}
    assert typing[0].at <= reply.at
    no_errors(botapi)


async def test_a_word_the_article_lacks_is_named_before_the_nearest_answer(
    start_bot, botapi: BotApiStub
) -> None:
    async with start_bot():
        [reply] = await say(botapi, 14, "ماذا قالت منظمة الصحة العالمية عن إغلاق المستشفيات؟")
    assert reply.visible.startswith("كلمات لا ترد في المقال: «إغلاق». أقرب ما فيه:")
    assert "أي مستشفى قيد الخدمة" in reply.visible
    no_errors(botapi)


async def test_date_command_lists_every_event_of_the_day(start_bot, botapi: BotApiStub) -> None:
    async with start_bot():
        [reply] = await say(botapi, 13, "/date ١٠ كانون الأول")
    assert reply.visible.startswith("أحداث 10 ديسمبر")
    assert "الفقرة 12" in reply.visible
    assert "الفقرة 13" in reply.visible
    assert reply.visible.count("المصدر:") == 2
    no_errors(botapi)


async def test_empty_date_offers_the_nearest_days_as_buttons(start_bot, botapi: BotApiStub) -> None:
    async with start_bot():
        [reply] = await say(botapi, 14, "/date 9 ديسمبر")
        assert "لا أحداث في 9 ديسمبر" in reply.visible
        (seven, seven_data), (ten, ten_data) = buttons(reply)
        assert seven.startswith("7 ديسمبر")
        assert seven_data.endswith("-12-07")
        assert ten.startswith("10 ديسمبر")
        assert ten_data.endswith("-12-10")
        before = len(botapi.sent(14))
        query = await press(botapi, 14, reply, ten_data)
        await botapi.wait(lambda: len(botapi.sent(14)) > before)
    day = botapi.sent(14)[-1].visible
    assert day.startswith("أحداث 10 ديسمبر")
    assert "الفقرة 12" in day
    assert "الفقرة 13" in day
    assert answered_text(botapi, query) is None
    no_errors(botapi)


async def test_date_command_without_a_date(start_bot, botapi: BotApiStub) -> None:
    async with start_bot():
        [usage] = await say(botapi, 15, "/date")
        [not_date] = await say(botapi, 15, "/date مرحبا <يا> & بوت")
        [invalid] = await say(botapi, 15, "/date 31/02")
    assert "/date 15 ديسمبر 2016" in usage.visible
    assert "لم أجد تاريخًا في «مرحبا <يا> & بوت»" in not_date.visible
    assert "غير صالح" in invalid.visible
    no_errors(botapi)


async def test_timeline_buttons_answer_with_that_day(start_bot, botapi: BotApiStub) -> None:
    async with start_bot():
        [timeline] = await say(botapi, 16, "/timeline")
        days = [data for _, data in buttons(timeline)]
        assert days[0] == "d:2016-11-15"
        assert days[-1] == "d:2016-12-15"
        assert len(days) == 10
        before = len(botapi.sent(16))
        await press(botapi, 16, timeline, "d:2016-12-07")
        await botapi.wait(lambda: len(botapi.sent(16)) > before)
    day = botapi.sent(16)[-1].visible
    assert day.startswith("أحداث 7 ديسمبر 2016 (8 ربيع الأول 1438)")
    assert "استعاد النظام السيطرة على المدينة القديمة" in day
    assert "الفقرة 9" in day
    no_errors(botapi)


async def test_source_lists_the_indexed_article(start_bot, botapi: BotApiStub) -> None:
    async with start_bot():
        [source] = await say(botapi, 17, "/source")
    assert "مأساة حلب" in source.visible
    assert "15 ديسمبر 2016" in source.visible
    assert "Aleppo" in source.visible
    no_errors(botapi)


async def test_more_pages_by_editing_the_message(start_bot, botapi: BotApiStub) -> None:
    async with start_bot():
        [first] = await say(botapi, 18, "قوات النظام")
        assert "[1]" in first.visible
        assert "[3]" in first.visible
        assert "[4]" not in first.visible
        [(label, data)] = buttons(first)
        assert label == MORE
        assert len(data.encode()) <= 64
        pages = [first.visible]
        while data:
            edits = len(botapi.calls_to("editMessageText"))
            query = await press(botapi, 18, first, data)
            await botapi.wait(lambda n=edits: len(botapi.calls_to("editMessageText")) > n)
            edit = botapi.calls_to("editMessageText")[-1]
            assert edit.params["message_id"] == first.result["message_id"]
            assert answered_text(botapi, query) is None
            pages.append(edit.visible)
            data = dict((t, d) for t, d in buttons(edit)).get(MORE, "")
        assert len(pages) >= 3
        assert "[4]" in pages[1]
        stale = await press(botapi, 18, first, "m:nosuchkey:3")
        assert "انتهت صلاحية" in answered_text(botapi, stale)
        junk = await press(botapi, 18, first, "zz")
        assert "انتهت صلاحية" in answered_text(botapi, junk)
    assert len(botapi.sent(18)) == 1  # paging edits, it does not send
    assert all(botapi.callbacks.values())
    no_errors(botapi)


async def test_inline_mode_lists_passages(start_bot, botapi: BotApiStub) -> None:
    async with start_bot():
        hit = botapi.inline(19, "مساكن هنانو")
        empty = botapi.inline(19, "")
        nothing = botapi.inline(19, "سعر الذهب")
        await botapi.wait(lambda: all(botapi.inline_queries[q] for q in (hit, empty, nothing)))
    answers = {c.params["inline_query_id"]: c.params for c in botapi.calls_to("answerInlineQuery")}
    results = answers[hit]["results"]
    assert 1 <= len(results) <= 50
    assert results[0]["title"] == "26 نوفمبر 2016 (26 صفر 1438)"
    assert results[0]["description"].startswith("في 26 نوفمبر/ تشرين الثاني")
    content = results[0]["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert "الفقرة 5" in content["message_text"]
    assert "<b>مساكن</b>" in content["message_text"]
    assert answers[empty]["results"] == []
    assert answers[empty]["button"]["start_parameter"]
    assert answers[nothing]["results"] == []
    no_errors(botapi)


@pytest.mark.parametrize(
    "extra",
    [
        {"photo": [{"file_id": "p", "file_unique_id": "p1", "width": 90, "height": 90}]},
        {"voice": {"file_id": "v", "file_unique_id": "v1", "duration": 3}},
        {"document": {"file_id": "d", "file_unique_id": "d1", "file_name": "a.pdf"}},
        {"location": {"latitude": 36.2, "longitude": 37.1}},
    ],
    ids=["photo", "voice", "document", "location"],
)
async def test_non_text_messages_get_a_hint(start_bot, botapi: BotApiStub, extra) -> None:
    async with start_bot():
        botapi.sticker(20)
        await botapi.wait(lambda: botapi.sent(20))
        botapi.message(20, extra=extra)
        await botapi.wait(lambda: len(botapi.sent(20)) == 2)
    assert all("أفهم الرسائل النصية فقط" in c.visible for c in botapi.sent(20))
    no_errors(botapi)


async def test_huge_messages_are_answered_within_limits(start_bot, botapi: BotApiStub) -> None:
    async with start_bot():
        [topic] = await say(botapi, 21, "حلب " * 1500)  # 6,000 characters
        [unknown] = await say(botapi, 21, "ب" * 6000)
    assert "[1]" in topic.visible
    assert unknown.visible.startswith("🔎 «")
    assert "لا يتناول" in unknown.visible
    echoed = unknown.visible.split("»")[0]
    assert len(echoed) < 100
    assert echoed.endswith("…")
    no_errors(botapi)


async def test_markup_characters_are_escaped(start_bot, botapi: BotApiStub) -> None:
    nasty = "<b>حلب</b> & <i>مساكن</b> &amp; *bold* _x_ `code` [a](http://x) <<<&&&> </pre>"
    async with start_bot():
        [reply] = await say(botapi, 22, nasty)
        [date] = await say(botapi, 22, "/date 31/02 <script>&")
        [none] = await say(botapi, 22, "<<<&&&>>> ***___```")
    assert "<b>حلب</b> & <i>مساكن</b>" in reply.visible  # echoed literally, escaped on the wire
    assert "31/02" in date.visible
    assert "<<<&&&>>>" in none.visible  # echoed literally, escaped on the wire
    no_errors(botapi)


async def test_groups_answer_only_when_addressed(start_bot, botapi: BotApiStub) -> None:
    group = {"chat_id": GROUP, "chat_type": "supergroup"}
    async with start_bot():
        botapi.message(23, "متى سقط حي مساكن هنانو؟", **group)
        botapi.message(23, "/start@other_bot", **group)
        botapi.sticker(23, **group)
        await settle(botapi)
        assert botapi.sent(GROUP) == []
        assert botapi.calls_to("sendChatAction") == []
        asked = f"@{BOT_USERNAME} متى سقط حي مساكن هنانو؟"
        [mention] = await say(botapi, 23, asked, **group)
        assert mention.visible.startswith("في 26 نوفمبر 2016")
        question = botapi.messages[(GROUP, mention.params["reply_parameters"]["message_id"])]
        assert question["text"] == asked  # the reply quotes the question
        reply_to = {k: v for k, v in botapi.bot_message(mention).items() if k != "html"}
        [replied] = await say(botapi, 24, "ماذا حدث في 6 ديسمبر؟", reply_to=reply_to, **group)
        assert "الفقرة 8" in replied.visible
        [command] = await say(botapi, 24, f"/date@{BOT_USERNAME} 10 ديسمبر", **group)
        assert "الفقرة 12" in command.visible
        [plain_command] = await say(botapi, 24, "/source", **group)
        assert "مأساة حلب" in plain_command.visible
    no_errors(botapi)


async def test_forty_users_at_once_are_all_answered(start_bot, botapi: BotApiStub) -> None:
    questions = ["متى سقط حي مساكن هنانو؟", "/date 7 ديسمبر", "من استخدم الفيتو؟", "حلب"]
    users = range(3000, 3040)
    async with start_bot():
        started = time.monotonic()
        for user in users:
            botapi.message(user, questions[user % len(questions)])
        await botapi.wait(lambda: all(botapi.sent(u) for u in users), timeout=30)
        elapsed = time.monotonic() - started
    assert all(len(botapi.sent(u)) == 1 for u in users)
    assert elapsed < 20
    no_errors(botapi)


async def test_flood_control_mutes_one_user_not_the_others(start_bot, botapi: BotApiStub) -> None:
    gate = FloodGate(limit=5, window=10, mute=30)
    async with start_bot(flood=gate):
        for _ in range(15):
            botapi.message(25, "حلب")
        [other] = await say(botapi, 26, "متى سقط حي مساكن هنانو؟")
        await botapi.wait(lambda: any("سأتوقف" in c.visible for c in botapi.sent(25)))
        await settle(botapi)
        sent = botapi.sent(25)
        notices = [c for c in sent if "سأتوقف" in c.visible]
        assert len(notices) == 1
        assert len(sent) == 5 + 1
        # A muted user's button tap is still answered (silently), never left spinning.
        query = await press(botapi, 25, sent[0], FIRST_EXAMPLE)
        assert answered_text(botapi, query) is None
        await settle(botapi)
        assert len(botapi.sent(25)) == 6
    assert other.visible.startswith("في 26 نوفمبر")
    no_errors(botapi)


def test_flood_gate_unmutes_after_the_pause() -> None:
    clock = FakeClock()
    gate = FloodGate(limit=2, window=10, mute=30, clock=clock)
    assert [gate.check(1) for _ in range(4)] == ["ok", "ok", "notice", "drop"]
    assert gate.check(2) == "ok"
    clock.advance(31)
    assert gate.check(1) == "ok"


async def test_allow_list_refuses_others_once(start_bot, botapi: BotApiStub) -> None:
    async with start_bot(KHABAR_ALLOWED_IDS="27, 99"):
        [refused] = await say(botapi, 28, "حلب")
        botapi.message(28, "حلب")
        [allowed] = await say(botapi, 27, "حلب")
        await settle(botapi)
    assert refused.visible == "عذرًا، هذا البوت خاص."
    assert len(botapi.sent(28)) == 1
    assert "[1]" in allowed.visible
    no_errors(botapi)


async def test_the_token_never_reaches_the_logs(start_bot, botapi: BotApiStub, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    async with start_bot():
        logging.getLogger("httpx").setLevel(logging.DEBUG)  # as if someone turned it back on
        try:
            await say(botapi, 29, "حلب")
            # A failing send: the error handler logs it, apologizes, and the bot keeps going.
            botapi.fail_next["sendMessage"] = ApiError("Bad Request: injected failure")
            [apology] = await say(botapi, 29, "متى سقط حي مساكن هنانو؟")
            [after] = await say(botapi, 29, "متى سقط حي مساكن هنانو؟")
        finally:
            logging.getLogger("httpx").setLevel(logging.WARNING)
    assert "حدث خطأ" in apology.visible
    assert after.visible.startswith("في 26 نوفمبر")
    assert "njected failure" in caplog.text  # the error was logged…
    assert "[REDACTED]" in caplog.text  # …httpx URLs were logged, redacted
    secret_part = TOKEN.split(":")[1]
    assert secret_part not in caplog.text
    assert not any(secret_part in r.getMessage() for r in caplog.records)


# ---- the real process: `khabar telegram` ---------------------------------------------------


@pytest.mark.parametrize(
    ("token", "says"),
    [
        (None, "TELEGRAM_BOT_TOKEN is not set"),
        ("", "TELEGRAM_BOT_TOKEN is not set"),
        ("12345:short", "TELEGRAM_BOT_TOKEN is malformed"),
        ("123456789:" + "A" * 34 + "!", "TELEGRAM_BOT_TOKEN is malformed"),
    ],
    ids=["missing", "blank", "malformed", "bad-character"],
)
@pytest.mark.e2e  # a real process
def test_missing_or_malformed_token_is_one_line_exit_2(tmp_path: Path, token, says) -> None:
    env = process_env(**({"TELEGRAM_BOT_TOKEN": token} if token is not None else {}))
    result = subprocess.run(
        [*khabar_command(), "telegram"], env=env, cwd=tmp_path, capture_output=True,
        text=True, encoding="utf-8", timeout=30,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    if token:
        assert token not in result.stderr


def test_rejected_token_is_one_clear_line(botapi: BotApiStub, tmp_path: Path) -> None:
    wrong = "987654321:" + "B" * 35
    env = process_env(TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_API_BASE_URL=botapi.base_url)
    result = subprocess.run(
        [*khabar_command(), "telegram"], env=env, cwd=tmp_path, capture_output=True,
        text=True, encoding="utf-8", timeout=30,
    )  # fmt: skip
    assert result.returncode == 2
    assert "rejected TELEGRAM_BOT_TOKEN" in result.stderr.strip().splitlines()[-1]
    assert "B" * 35 not in result.stderr
    assert "Traceback" not in result.stderr


def test_deploy_files_use_the_commands_tested_here() -> None:
    """Dockerfile, compose and systemd run exactly what these tests run; .env.example is
    complete and loads."""
    deploy = ROOT / "deploy"
    docker = (deploy / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in docker
    assert "\nUSER khabar" in docker
    assert "pip install ." in docker
    assert "khabar index build seeds --out /app/khabar.idx" in docker
    assert "ENV KHABAR_INDEX=/app/khabar.idx" in docker
    assert 'CMD ["khabar", "telegram"]' in docker
    compose = (deploy / "compose.yaml").read_text()
    assert "dockerfile: deploy/Dockerfile" in compose
    assert "profiles: [webhook]" in compose
    assert "stop_grace_period: 60s" in compose  # the drain outlasts Docker's default 10 s
    assert "/healthz" in compose
    for unit in ("khabar-polling.service", "khabar-webhook.service"):
        text = (deploy / unit).read_text()
        assert "EnvironmentFile=/etc/khabar/env" in text
        assert "ExecStart=/opt/khabar/venv/bin/khabar telegram" in text
        assert "\nLimitNOFILE=65536" in text
        assert "\nTimeoutStopSec=60" in text
    from khabar.bot.settings import Settings

    example = (deploy / ".env.example").read_text()
    for field in Settings.model_fields.values():
        assert f"{field.alias}=" in example, field.alias


def test_example_env_file_loads(tmp_path: Path, monkeypatch) -> None:
    from khabar.bot.settings import SettingsError, load_settings

    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "KHABAR_")):
            monkeypatch.delenv(name)
    env_file = tmp_path / ".env"
    example = (ROOT / "deploy" / ".env.example").read_text()
    env_file.write_text(example)
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN is not set"):
        load_settings(env_file)
    env_file.write_text(example.replace("TELEGRAM_BOT_TOKEN=", f"TELEGRAM_BOT_TOKEN={TOKEN}"))
    settings = load_settings(env_file)
    assert settings.top_k == 3
    assert not settings.webhook
    assert settings.index is None


def test_polling_process_answers_and_stops_cleanly(botapi: BotApiStub, tmp_path: Path) -> None:
    index = tmp_path / "khabar.idx"  # built as the Dockerfile builds it
    built = subprocess.run(
        [*khabar_command(), "index", "build", "seeds", "--out", str(index)], cwd=ROOT,
        env=process_env(), capture_output=True, text=True, encoding="utf-8", timeout=60,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    env = process_env(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=botapi.base_url, KHABAR_INDEX=str(index)
    )
    process = subprocess.Popen(
        [*khabar_command(), "telegram"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )  # fmt: skip
    try:
        botapi.message(31, "متى سقط حي مساكن هنانو؟")
        [reply] = botapi.wait_sync(lambda: botapi.sent(31), timeout=30)
        assert reply.visible.startswith("في 26 نوفمبر 2016")
        assert botapi.calls_to("setMyCommands")
    finally:
        code, err = stop(process)
    assert code == 0, err
    assert TOKEN.split(":")[1] not in err
    assert "Traceback" not in err
    updates = botapi.calls_to("getUpdates")
    assert updates[-1].params.get("offset", 0) > 1  # the update was confirmed on the way out


def test_webhook_refuses_a_wrong_secret(botapi: BotApiStub, tmp_path: Path) -> None:
    port, secret = free_port(), "s3cret-Token_1"
    public = "https://bot.example.com/telegram/hook"  # a TLS proxy forwards it to the port
    url = f"http://127.0.0.1:{port}/telegram/hook"
    env = process_env(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=botapi.base_url,
        KHABAR_WEBHOOK_URL=public, KHABAR_WEBHOOK_SECRET=secret,
        KHABAR_LISTEN="127.0.0.1", KHABAR_PORT=str(port),
    )  # fmt: skip
    process = subprocess.Popen(
        [*khabar_command(), "telegram"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )  # fmt: skip
    try:
        botapi.wait_sync(lambda: botapi.webhook["url"] == public, timeout=30)
        assert botapi.webhook["secret_token"] == secret
        message = botapi.message(32, "متى سقط حي مساكن هنانو؟", deliver=False)
        update = {"update_id": 1, "message": message}

        def post(headers: dict[str, str]) -> int:
            for _ in range(50):  # the server may still be binding
                try:
                    return httpx.post(url, json=update, headers=headers, timeout=5).status_code
                except httpx.ConnectError:
                    time.sleep(0.1)
            raise AssertionError("webhook server never came up")

        assert post({}) == 403
        assert post({"X-Telegram-Bot-Api-Secret-Token": "wrong"}) == 403
        time.sleep(0.3)
        assert botapi.sent(32) == []
        assert post({"X-Telegram-Bot-Api-Secret-Token": secret}) == 200
        [reply] = botapi.wait_sync(lambda: botapi.sent(32), timeout=15)
        assert reply.visible.startswith("في 26 نوفمبر 2016")
        assert botapi.calls_to("getUpdates", ok=None) == []
    finally:
        code, err = stop(process)
    assert code == 0, err
    assert TOKEN.split(":")[1] not in err
    assert secret not in err
    assert "Traceback" not in err


def test_an_api_answering_with_a_web_page_is_one_clear_line(tmp_path: Path) -> None:
    """A proxy's error page where the Bot API should be: what failed, without tracebacks."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class ProxyError(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>proxy error</html>")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), ProxyError)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = process_env(
        TELEGRAM_BOT_TOKEN="123456789:" + "C" * 35,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{server.server_port}/bot",
    )
    try:
        result = subprocess.run(
            [*khabar_command(), "telegram"], env=env, cwd=tmp_path, capture_output=True,
            text=True, encoding="utf-8", timeout=60,
        )  # fmt: skip
    finally:
        server.shutdown()
    assert ("cannot start the bot" in result.stderr, "Traceback" in result.stderr) == (True, False)
