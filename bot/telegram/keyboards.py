"""Inline keyboards: every button the bot puts under a message, its data from the codec."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from khabar.bot.replies import gregorian_label
from khabar.bot.telegram import texts
from khabar.bot.telegram.callbacks import Button, Day, Example, More, TimelinePage, encode
from khabar.index.calendar import PartialDate
from khabar.index.search import Answer, Intent

TIMELINE_PAGE = 24  # day buttons per timeline page (8 rows of 3)
NEAREST_DAYS = 8  # days offered when the asked day has no events

Rows = list[list[InlineKeyboardButton]]


def button(text: str, data: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=encode(data))


def rows(buttons: Sequence[InlineKeyboardButton], width: int) -> Rows:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def short_day(iso: str) -> str:
    """ "7 ديسمبر 2016" for a button (the Hijri twin is in the answer itself)."""
    return gregorian_label(PartialDate.from_iso(iso))


def day_button(iso: str) -> InlineKeyboardButton:
    return button(short_day(iso), Day(iso))


def example_rows(offered: Sequence[str]) -> Rows:
    return [[button(question, Example.of(i, question))] for i, question in enumerate(offered)]


def examples_keyboard(offered: Sequence[str]) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup(example_rows(offered)) if offered else None


def help_keyboard(offered: Sequence[str]) -> InlineKeyboardMarkup:
    search = InlineKeyboardButton(texts.SEARCH_ANYWHERE, switch_inline_query="")
    return InlineKeyboardMarkup([*example_rows(offered), [search]])


def answer_keyboard(
    answer: Answer, more: More | None, offered: Sequence[str] = ()
) -> InlineKeyboardMarkup | None:
    """Nearest days for an empty day, the archive's examples (``offered``) for no answer,
    «المزيد» for another page."""
    found: Rows = []
    if answer.intent is Intent.DATE and not answer.hits and answer.nearest_dates:
        found.extend(rows([day_button(d) for d in answer.nearest_dates[:NEAREST_DAYS]], 2))
    if answer.intent in (Intent.EMPTY, Intent.NO_MATCH):
        found.extend(example_rows(offered))
    if more is not None:
        found.append([button(texts.MORE, more)])
    return InlineKeyboardMarkup(found) if found else None


def timeline_keyboard(days: Sequence[str], page: int) -> InlineKeyboardMarkup:
    """One page of day buttons, three a row, with previous/next under them."""
    pages = max(1, -(-len(days) // TIMELINE_PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = days[page * TIMELINE_PAGE : (page + 1) * TIMELINE_PAGE]
    found = rows([day_button(d) for d in chunk], 3)
    nav = []
    if page > 0:
        nav.append(button(texts.PREVIOUS, TimelinePage(page - 1)))
    if page + 1 < pages:
        nav.append(button(texts.NEXT, TimelinePage(page + 1)))
    if nav:
        found.append(nav)
    return InlineKeyboardMarkup(found)
