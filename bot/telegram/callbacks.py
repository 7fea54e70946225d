"""Callback data: what an inline button carries back when tapped, in at most 64 bytes.

One encoder and one decoder, so a button and the handler reading it cannot disagree:

* ``m:<key>:<offset>`` — the next page of a stored question (:class:`More`);
* ``d:<iso>`` — one day's events (:class:`Day`);
* ``x:<n>:<key>`` — an example question, the n-th the index offers, ``key`` a digest of its
  text (:class:`Example`): a button from other articles is stale, not another question;
* ``t:<page>`` — a page of the timeline keyboard (:class:`TimelinePage`).

:func:`decode` returns None for anything else, or for a button that names a day that does not
exist or an example there can never be; an example the index in service no longer offers is
the handler's to call stale.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from khabar.bot.replies import MAX_EXAMPLES
from khabar.index.calendar import ISO_DAY_PATTERN, valid_iso

MAX_BYTES = 64  # Telegram's limit on callback_data


@dataclass(frozen=True)
class More:
    key: str
    offset: int


@dataclass(frozen=True)
class Day:
    iso: str


@dataclass(frozen=True)
class Example:
    index: int
    key: str

    @classmethod
    def of(cls, index: int, question: str) -> Example:
        return cls(index, example_key(question))


def example_key(question: str) -> str:
    """A short digest of an example's text, carried by its button."""
    return hashlib.blake2s(question.encode("utf-8"), digest_size=4).hexdigest()


@dataclass(frozen=True)
class TimelinePage:
    page: int


Button = More | Day | Example | TimelinePage

_MORE = re.compile(r"m:([A-Za-z0-9_-]{1,16}):(\d{1,6})")
_DAY = re.compile(ISO_DAY_PATTERN)
_NUMBER = re.compile(r"\d{1,6}")
_EXAMPLE = re.compile(r"x:(\d):([0-9a-f]{8})")


def encode(button: Button) -> str:
    match button:
        case More(key, offset):
            data = f"m:{key}:{offset}"
        case Day(iso):
            data = f"d:{iso}"
        case Example(index, key):
            data = f"x:{index}:{key}"
        case TimelinePage(page):
            data = f"t:{page}"
    assert len(data.encode()) <= MAX_BYTES, data
    return data


def decode(data: object) -> Button | None:
    """The button ``data`` stands for, or None when it is unknown, malformed or stale."""
    if not isinstance(data, str):
        return None
    kind, _, value = data.partition(":")
    if kind == "m" and (match := _MORE.fullmatch(data)):
        return More(match[1], int(match[2]))
    if kind == "d" and valid_day(value):
        return Day(value)
    if kind == "x" and (match := _EXAMPLE.fullmatch(data)) and int(match[1]) < MAX_EXAMPLES:
        return Example(int(match[1]), match[2])
    if kind == "t" and _NUMBER.fullmatch(value):
        return TimelinePage(int(value))
    return None


def valid_day(iso: str) -> bool:
    """An ISO day that exists, written exactly (a year-less 29 February does)."""
    return _DAY.fullmatch(iso) is not None and valid_iso(iso)
