"""Telegram HTML for an answer: escaped, bolded where the question matched, never too long.

Telegram rejects a whole message for one stray ``<`` or ``&`` and anything over 4096
characters of visible text, so everything from the user or the article is escaped here, and
an answer becomes as many messages as it needs, split between passages (a single huge passage
is cut with "…"). The words come from :mod:`bot.replies`, so the bot says what the console says.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence

from khabar.bot.replies import NOTHING_OFFERED, Offered, citation_label, date_label, intro_line
from khabar.index.models import Passage
from khabar.index.search import Answer, Intent

MAX_CHARS = 4096  # Telegram's limit on a message's visible text (UTF-16 code units)
ECHO_CHARS = 80  # how much of a user's question a reply repeats
INTRO_CHARS = 600  # an intro quotes user input (invalid dates): keep it short
ELLIPSIS = "…"
SEPARATOR = "\n\n"

Spans = Sequence[tuple[int, int]]
Highlighter = Callable[[str], Spans]

_TAG = re.compile(r"<[^>]*>")


def escape(text: str) -> str:
    """Text safe for parse_mode=HTML (quotes need no escaping outside attributes)."""
    return html.escape(text, quote=False)


def units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(markup: str) -> int:
    """Visible length of HTML produced here (every literal < > & in it is escaped)."""
    return units(html.unescape(_TAG.sub("", markup)))


def _cut_point(text: str, budget: int) -> int:
    """Index where ``text`` must be cut to fit ``budget`` units, at a space if one is near."""
    used, index = 0, 0
    while index < len(text):
        used += units(text[index])
        if used > budget:
            break
        index += 1
    if index == len(text):
        return index
    space = text.rfind(" ", 0, index)
    return space if space > index * 0.8 else index


def clip(text: str, limit: int) -> str:
    """Plain text cut to ``limit`` units, "…" included, preferring a word boundary."""
    if units(text) <= limit:
        return text
    return text[: _cut_point(text, max(limit - 1, 0))].rstrip() + ELLIPSIS


def mark(
    text: str,
    spans: Spans = (),
    limit: int | None = None,
    answer: tuple[int, int] | None = None,
) -> str:
    """Escaped ``text`` with ``spans`` in <b>, cut to ``limit`` visible units with "…".

    ``answer`` (the sentence that answers) is bold as a whole; the matched words inside it keep
    a mark of their own, an underline, so both still show.
    """
    end = len(text)
    if limit is not None and units(text) > limit:
        end = _cut_point(text, max(limit - 1, 0))
    first, last = (min(answer[0], end), min(answer[1], end)) if answer else (0, 0)
    merged = _merge(spans)
    out: list[str] = []
    for start, stop, tag in ((0, first, "b"), (first, last, "u"), (last, end, "b")):
        if start < stop:
            piece = _marked(text, start, stop, merged, tag)
            out.append(f"<b>{piece}</b>" if tag == "u" else piece)
    body = "".join(out)
    if end < len(text):
        return body.rstrip() + ELLIPSIS
    return body


def _marked(text: str, start: int, stop: int, spans: list[tuple[int, int]], tag: str) -> str:
    """Escaped ``text[start:stop]`` with the parts of ``spans`` inside it in ``<tag>``."""
    out: list[str] = []
    position = start
    for a, b in spans:
        a, b = max(a, position), min(b, stop)
        if a >= b:
            continue
        out.append(escape(text[position:a]))
        out.append(f"<{tag}>{escape(text[a:b])}</{tag}>")
        position = b
    out.append(escape(text[position:stop]))
    return "".join(out)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, stop in sorted(s for s in spans if s[0] < s[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def passage_html(
    passage: Passage,
    spans: Spans = (),
    number: int | None = None,
    limit: int = MAX_CHARS,
    answer: tuple[int, int] | None = None,
) -> str:
    """One passage: bold date, italic heading, the text verbatim with matches and the answering
    sentence marked, citation. The block fits ``limit`` visible units: only the text is cut.
    """
    head = f"<b>{escape(date_label(passage))}</b>"
    if passage.heading:
        head += f" — <i>{escape(passage.heading)}</i>"
    if number is not None:
        head = f"<b>[{number}]</b> {head}"
    cite = f"<i>{citation_html(passage)}</i>"
    frame = visible_length(head) + visible_length(cite) + 2  # two newlines
    body = mark(passage.text, spans, max(limit - frame, 1), answer)
    return f"{head}\n{body}\n{cite}"


def citation_html(passage: Passage) -> str:
    """The citation, its title a link to the page when the article came from one."""
    label, source = citation_label(passage), passage.source
    before, title, after = label.partition(source.title)
    if not source.url or not title:
        return escape(label)
    link = f'<a href="{html.escape(source.url, quote=True)}">{escape(title)}</a>'
    return f"{escape(before)}{link}{escape(after)}"


def echo(query: str, limit: int = ECHO_CHARS) -> str:
    """The user's question as a reply quotes it: one line, trimmed, escaped."""
    return escape(clip(" ".join(query.split()), limit))


def render_answer(
    answer: Answer,
    highlight: Highlighter | None = None,
    limit: int = MAX_CHARS,
    intro: bool = True,
    lead: str | None = None,
    offered: Offered = NOTHING_OFFERED,
) -> list[str]:
    """An answer as one or more Telegram HTML messages, each at most ``limit`` visible units.

    The reply is made of blocks — lead, intro, then one per passage — joined into as few
    messages as fit and split only between blocks.

    ``lead`` (plain text) says what was asked when the question was a button, not typed;
    ``intro=False`` drops the leading sentence on later pages, where it would mislead;
    ``offered``: what the archive offers its readers, for a reply that finds nothing.
    """
    blocks = _head_blocks(answer, limit, intro, lead, offered)
    for n, hit in enumerate(answer.hits, start=answer.offset + 1):
        spans = highlight(hit.passage.text) if highlight else ()
        blocks.append(passage_html(hit.passage, spans, number=n, limit=limit, answer=hit.answer))
    if not blocks:  # never send an empty message
        blocks.append(escape("لا توجد نتائج."))
    return pack(blocks, limit)


def first_message(
    answer: Answer,
    highlight: Highlighter | None = None,
    limit: int = MAX_CHARS,
    intro: bool = True,
    lead: str | None = None,
    offered: Offered = NOTHING_OFFERED,
) -> tuple[str, int]:
    """The answer's first message as :func:`render_answer` makes it, and how many of its
    passages it holds (at least one): a date's events page one message at a time."""
    message = ""
    held = 0
    for block in _head_blocks(answer, limit, intro, lead, offered):
        message = f"{message}{SEPARATOR}{block}" if message else block
    for n, hit in enumerate(answer.hits, start=answer.offset + 1):
        spans = highlight(hit.passage.text) if highlight else ()
        room = limit if held else limit - visible_length(message) - len(SEPARATOR)
        block = passage_html(hit.passage, spans, number=n, limit=room, answer=hit.answer)
        joined = f"{message}{SEPARATOR}{block}" if message else block
        if held and visible_length(joined) > limit:
            break
        message, held = joined, held + 1
    return message or escape("لا توجد نتائج."), held


def _head_blocks(
    answer: Answer, limit: int, intro: bool, lead: str | None, offered: Offered = NOTHING_OFFERED
) -> list[str]:
    """What comes before the passages: what a button asked, the query echoed, the intro."""
    blocks: list[str] = []
    if lead and lead.strip():  # a blank lead alone would be an empty message
        blocks.append(f"<b>{escape(clip(lead, min(INTRO_CHARS, limit) - 1))}</b>")
    line = intro_line(answer, offered) if intro else None
    if answer.intent in {Intent.EMPTY, Intent.NO_MATCH} and answer.query.strip():
        blocks.append(f"🔎 «{echo(answer.query)}»")
    if line:
        blocks.append(f"<b>{escape(clip(line, min(INTRO_CHARS, limit)))}</b>")
    return blocks


def pack(blocks: Iterable[str], limit: int = MAX_CHARS) -> list[str]:
    """Blocks joined into as few messages as fit ``limit``, splitting only between blocks."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        if visible_length(block) > limit:  # a block built elsewhere: trim it safely
            block = escape(clip(html.unescape(_TAG.sub("", block)), limit))
        joined = f"{current}{SEPARATOR}{block}" if current else block
        if visible_length(joined) <= limit:
            current = joined
            continue
        messages.append(current)
        current = block
    if current:
        messages.append(current)
    return messages
