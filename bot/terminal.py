"""What the command needs from the streams around it: safe output, bounded input, bidi lines.

* Output can fail: a reader that went away (``| head``, ``| true``), a full disk
  (``> /dev/full``), a closed stream (``>&-``). Every write goes through :func:`guarded`, which
  turns the failure into one :class:`OutputError`; the command then exits 1 with one line on
  stderr instead of a traceback, or worse, exit 0 with nothing written.
* Input is read a line at a time with a bound: ``khabar ask < /dev/zero`` is an error after
  :data:`MAX_LINE_BYTES`, not a process that eats memory until it is killed.
* Arabic in a terminal: a terminal lays out each screen line as its own bidi paragraph, and
  many guess its direction, or take it as left-to-right. :func:`bidi_line` makes one wrapped
  line read the same either way: a right-to-left mark at each end, each run of digits or Latin in
  a left-to-right isolate (LRI…PDI), text of unknown direction (titles) in a first-strong
  isolate (FSI…PDI). The marks take no cell, so terminals without bidi show the line as
  before.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:  # rich is imported when a line is drawn: `khabar ask` starts without it
    from rich.console import Console
    from rich.text import Text

RLM, LRI, FSI, PDI = "\u200f", "\u2066", "\u2068", "\u2069"
# Questions are short; a line this long is not one (and /dev/zero never ends its line).
MAX_LINE_BYTES = 1 << 20
# C0/C1 controls (an escape sequence in an article or a question must not drive the
# terminal) and explicit bidi embeddings, overrides and isolates (they would unbalance ours).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A left-to-right run: digits or Latin, joined by the punctuation numbers, dates, times and
# URLs use inside them, and by spaces when Latin words follow each other ("Reuters News"); a
# command keeps its slash ("/date").
_LTR_CHAR = r"[0-9A-Za-z\u00c0-\u024f\u0660-\u0669\u06f0-\u06f9]"
_LTR_WORD = re.compile(rf"(?:/(?=[A-Za-z])|[-+]*){_LTR_CHAR}+(?:[-./:,+_%'@#&?=~]+{_LTR_CHAR}+)*")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# What may stand between two words of one Latin phrase ("Aleppo, 15 November – 15 December").
_LTR_GLUE = re.compile(r"[\s,;:.\-–—/()'\"&]*")


class OutputError(Exception):
    """A write to stdout or stderr failed; ``str(e)`` says which and why, in one line."""


class Terminated(BaseException):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C, so temp files are removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class InputError(Exception):
    """Standard input cannot be read as questions (one line)."""


def clean(text: str) -> str:
    """Text safe to show in a terminal: controls and stray bidi marks become nothing or spaces."""
    return _CONTROL.sub(lambda m: "" if m.group() >= "\u202a" else " ", text)


def cleaned_offset(text: str, offset: int) -> int:
    """Where ``text[offset]`` lands in ``clean(text)`` (the marks it drops take no place)."""
    return offset - sum(1 for ch in text[:offset] if ch >= "\u202a" and _CONTROL.match(ch))


@contextlib.contextmanager
def guarded(name: str = "standard output") -> Iterator[None]:
    """Turn a failed write (EPIPE, ENOSPC, a closed stream) into an :class:`OutputError`."""
    try:
        yield
    except (OSError, ValueError) as exc:  # ValueError: "I/O operation on closed file"
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OutputError(f"cannot write to {name} ({reason})") from None


def write(text: str, stream: IO[str] | None = None) -> None:
    """Write and flush now, so a failure is this call's, not a later one's."""
    target = stream if stream is not None else sys.stdout
    name = "standard error" if target is sys.stderr else "standard output"
    with guarded(name):
        if target is None:
            raise ValueError("it is closed")
        target.write(text)
        target.flush()


def warn(text: str) -> None:
    write(f"khabar: warning: {text}\n", sys.stderr)


def silence_broken_streams() -> None:
    """After a failed write, point stdout and stderr at /dev/null so the interpreter's own
    flush at exit does not print a second error (or a traceback) about the same failure."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        for stream, fd in ((sys.stdout, 1), (sys.stderr, 2)):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                stream.flush()
                continue
            os.dup2(null, fd)
        os.close(null)


def bounded_lines(stream: BinaryIO | None, limit: int = MAX_LINE_BYTES) -> Iterator[str]:
    """Lines of UTF-8 text (bad bytes replaced), without their ending; InputError past ``limit``."""
    if stream is None:
        return
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit:
            raise InputError(
                f"line {number} of the input is longer than {limit // 1024} KB; "
                "give one question per line"
            )
        yield line.decode("utf-8", "replace").rstrip("\r\n")


# ---- bidi ----------------------------------------------------------------------------------


def _regions(line: Text, isolated: frozenset[str]) -> list[tuple[int, int]]:
    """Character ranges of spans styled with one of ``isolated`` (merged, in order)."""
    ranges: list[tuple[int, int]] = []
    for span in sorted(line.spans, key=lambda s: s.start):
        if str(span.style) in isolated and span.start < span.end:
            if ranges and span.start <= ranges[-1][1]:
                ranges[-1] = (ranges[-1][0], max(ranges[-1][1], span.end))
            else:
                ranges.append((span.start, span.end))
    return ranges


def _ltr_runs(text: str, begin: int, stop: int) -> list[tuple[int, int]]:
    """Runs of digits or Latin; words of a Latin phrase, with what joins them, make one run."""
    runs: list[tuple[int, int, bool]] = []  # (start, end, has Latin)
    for match in _LTR_WORD.finditer(text, begin, stop):
        latin = bool(_LATIN.search(match.group()))
        if runs:
            start, end, had_latin = runs[-1]
            if (latin or had_latin) and _LTR_GLUE.fullmatch(text, end, match.start()):
                runs[-1] = (start, match.end(), True)
                continue
        runs.append((match.start(), match.end(), latin))
    found = []
    for start, end, _ in runs:
        # "(Arabic news article)": a bracket opened inside the run closes inside it too
        while end < stop and text[end] in ")]" and _unclosed(text[start:end], text[end]):
            end += 1
        found.append((start, end))
    return found


def _unclosed(run: str, closer: str) -> bool:
    opener = "(" if closer == ")" else "["
    return run.count(opener) > run.count(closer)


def bidi_line(line: Text, isolated: frozenset[str] = frozenset()) -> Text:
    """One screen line, marked to read right to left whatever the terminal guesses.

    Spans styled with a name in ``isolated`` (titles, which may be Latin) go in FSI…PDI;
    every run of digits or Latin in LRI…PDI, never across an FSI boundary, so isolates nest.
    """
    from rich.text import Text

    plain = line.plain
    marks: list[tuple[int, int, str]] = []  # (offset, order at that offset, mark)
    bounds = [0]
    for start, end in _regions(line, isolated):
        marks += [(start, 1, FSI), (end, 0, PDI)]
        bounds += [start, end]
    bounds.append(len(plain))
    for begin, stop in itertools.pairwise(bounds):
        for start, end in _ltr_runs(plain, begin, stop):
            marks += [(start, 2, LRI), (end, -1, PDI)]
    marks.sort()
    offsets = sorted({offset for offset, _, _ in marks} - {0, len(plain)})
    parts = iter(line.divide(offsets)) if plain else iter(())
    out = Text(RLM)
    at = 0
    pending = iter(marks)
    mark = next(pending, None)
    for part in parts:
        while mark is not None and mark[0] == at:
            out.append(mark[2])
            mark = next(pending, None)
        out.append_text(part)
        at += len(part.plain)
    while mark is not None:
        out.append(mark[2])
        mark = next(pending, None)
    out.append(RLM)  # trailing punctuation stays at the line's end in a left-to-right paragraph
    return out


def screen_lines(
    text: Text, console: Console, isolated: frozenset[str] = frozenset()
) -> list[Text]:
    """``text`` wrapped at word boundaries to the terminal's width, each line bidi-marked."""
    width = max(console.width, 20)
    lines = text.wrap(console, width, overflow="fold")
    for line in lines:
        line.rstrip()  # a space left at the wrap would count as the line's trailing text
    return [bidi_line(line, isolated) for line in lines]
