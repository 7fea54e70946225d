"""The bot's pure parts, without a bot: button data, the bounded stores, the flood gate."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.clock import FakeClock

from khabar.bot.replies import MAX_EXAMPLES
from khabar.bot.telegram import callbacks
from khabar.bot.telegram.callbacks import Day, Example, More, TimelinePage
from khabar.bot.telegram.paging import BoundedCache, FloodGate, RecentRequests, Request
from khabar.index.search import Engine

# ---- callback data ---------------------------------------------------------------------------

BUTTONS = [
    More("Ab-_9xYz", 3),
    More("k" * 16, 999_999),
    Day("2016-12-07"),
    Day("--02-29"),
    Example.of(0, "متى سقط حي مساكن هنانو؟"),
    Example.of(MAX_EXAMPLES - 1, "من استخدم الفيتو في مجلس الأمن؟"),
    TimelinePage(0),
    TimelinePage(12),
]


@pytest.mark.parametrize("button", BUTTONS, ids=str)
def test_every_button_decodes_to_itself(button: callbacks.Button) -> None:
    data = callbacks.encode(button)
    assert callbacks.decode(data) == button


@pytest.mark.parametrize("button", BUTTONS, ids=str)
def test_button_data_fits_telegrams_64_bytes(button: callbacks.Button) -> None:
    assert len(callbacks.encode(button).encode()) <= 64


def test_the_wire_format_is_stable() -> None:
    """Buttons already in chats keep working across releases (an example's carries a digest
    of its question, so one from other articles is stale, not another question)."""
    assert callbacks.encode(More("abc", 3)) == "m:abc:3"
    assert callbacks.encode(Day("2016-12-07")) == "d:2016-12-07"
    assert callbacks.encode(Example(1, "0a1b2c3d")) == "x:1:0a1b2c3d"
    assert callbacks.encode(TimelinePage(2)) == "t:2"


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "zz",
        "m:",
        "m:key",
        "m:key:",
        "m:k€y:3",
        "m:" + "k" * 17 + ":3",
        "m:key:1234567",
        "d:2016-02-30",
        "d:--02-30",
        "d:2016-13-01",
        "d:2016-12-07\n",
        "d:7 ديسمبر",
        f"x:{MAX_EXAMPLES}:0a1b2c3d",
        "x:0",
        "x:-1:0a1b2c3d",
        "x:0:0A1B2C3D",
        "x:a",
        "t:",
        "t:-1",
    ],
)
def test_malformed_or_stale_data_decodes_to_nothing(data: str | None) -> None:
    assert callbacks.decode(data) is None


# ---- bounded stores --------------------------------------------------------------------------


def test_bounded_cache_forgets_the_least_recently_used() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # now "b" is the oldest
    assert cache.put("c", 3) == ["b"]
    assert "b" not in cache
    assert cache.get("a") == 1
    assert cache.get("c") == 3
    assert len(cache) == 2


def test_recent_requests_keep_only_the_newest() -> None:
    store = RecentRequests(size=3)
    keys = [store.put(Request("ask", f"سؤال {n}")) for n in range(5)]
    assert [store.get(k) for k in keys[:2]] == [None, None]
    assert store.get(keys[4]) == Request("ask", "سؤال 4")


def test_request_keys_are_random_not_counted() -> None:
    """A button from before a restart must be stale, never another question's."""
    first, second = RecentRequests(), RecentRequests()
    assert first.put(Request("ask", "حلب")) != second.put(Request("ask", "حلب"))


# ---- the flood gate --------------------------------------------------------------------------


def test_flood_gate_counts_a_sliding_window() -> None:
    clock = FakeClock()
    gate = FloodGate(limit=3, window=10, mute=30, clock=clock)
    for _ in range(3):
        assert gate.check(1) == "ok"
        clock.advance(4)
    assert gate.check(1) == "ok"  # the first update left the window


def test_flood_gate_notices_once_then_drops_until_the_mute_ends() -> None:
    clock = FakeClock()
    gate = FloodGate(limit=2, window=10, mute=30, clock=clock)
    assert [gate.check(1) for _ in range(5)] == ["ok", "ok", "notice", "drop", "drop"]
    assert gate.muted(1)
    clock.advance(29.9)
    assert gate.check(1) == "drop"
    clock.advance(0.1)
    assert not gate.muted(1)
    assert gate.check(1) == "ok"


def test_flood_gate_forgets_users_beyond_its_bound() -> None:
    clock = FakeClock()
    gate = FloodGate(limit=1, window=10, mute=30, max_users=2, clock=clock)
    assert [gate.check(1), gate.check(1)] == ["ok", "notice"]
    gate.check(2)
    gate.check(3)  # user 1 is now the least recently seen of three: forgotten, mute too
    assert not gate.muted(1)
    assert gate.check(1) == "ok"


def test_the_pure_parts_load_without_telegram() -> None:
    code = (
        "import sys, khabar.bot.telegram.paging, khabar.bot.telegram.texts;"
        "sys.exit(any(m == 'telegram' or m.startswith('telegram.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


@pytest.fixture(scope="module")
def crowded_day(tmp_path_factory) -> Engine:
    """An archive whose 6 December holds more events than one message can show."""
    folder = tmp_path_factory.mktemp("crowded")
    body = "قصفت الطائرات الأحياء الشرقية وسقط عشرات الجرحى في المستشفيات الميدانية. " * 4
    for n in range(12):
        (folder / f"day{n:02d}.txt").write_text(
            "\n".join([f"تقرير {n}", *(f"في 6 ديسمبر، {body} ({n}-{p})" for p in range(5))]),
            encoding="utf-8",
        )
    return Engine.build([folder])


def _date_page(engine: Engine, offset: int = 0):
    from khabar.bot.live import LiveIndex
    from khabar.bot.telegram.answers import Answers

    answers = Answers(LiveIndex.serving(engine))
    return answers.render(Request("ask", "ماذا حدث في 6 ديسمبر؟"), offset)


def test_a_crowded_day_is_answered_in_one_message(crowded_day: Engine) -> None:
    assert len(_date_page(crowded_day).pages) == 1


def test_that_message_fits_telegrams_limit(crowded_day: Engine) -> None:
    from khabar.bot import html as tg

    assert tg.visible_length(_date_page(crowded_day).pages[0]) <= tg.MAX_CHARS


def test_the_message_shows_as_many_events_as_it_holds_and_offers_more(
    crowded_day: Engine,
) -> None:
    first = _date_page(crowded_day)
    assert first.next_offset == len(first.answer.hits)


def test_more_continues_with_the_next_event(crowded_day: Engine) -> None:
    first = _date_page(crowded_day)
    second = _date_page(crowded_day, first.next_offset or 0)
    assert f"[{len(first.answer.hits) + 1}]" in second.pages[0]


def test_the_last_page_of_a_day_offers_no_more(crowded_day: Engine) -> None:
    offset, pages = 0, 0
    while offset is not None and pages < 60:
        page = _date_page(crowded_day, offset)
        offset, pages = page.next_offset, pages + 1
    assert offset is None
