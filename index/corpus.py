"""Reading articles: a UTF-8 ``.txt`` (title line, then one paragraph a line) and its ``.toml``.

An article is read into :class:`Block` s in reading order, so the chunker never sees a file
format: blank lines only separate, Markdown ``#`` lines are the title and ``##``/``###`` lines
section headings; any other line is a paragraph or, if it reads like one, a heading (the chunker
decides). The sidecar carries what the text cannot: ``published`` (resolves year-less event
dates), ``source`` and ``title``. Problems are collected as one-line messages, never raised
mid-build, so ``khabar index build`` can say exactly which file lacks what.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Opening a file never blocks (a FIFO), where the OS can say so.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class CorpusError(Exception):
    """An article that cannot be read at all (the message is one line naming the file)."""


@dataclass(frozen=True)
class Block:
    """A paragraph or a section heading; ``heading=None`` when the format cannot say which."""

    text: str
    heading: bool | None = None


@dataclass(frozen=True)
class RawArticle:
    id: str
    path: Path
    title: str
    blocks: tuple[Block, ...]  # after the title, in reading order
    published: dt.date | None
    origin: str | None
    language: str = "ar"
    warnings: tuple[str, ...] = field(default=())


def find_articles(
    paths: Iterable[str | Path], skipped: list[str] | None = None
) -> list[tuple[Path, str]]:
    """Expand files and folders into (article file, article id), in a stable (sorted) order.

    An id is the file's path below the folder it was found in, without ``.txt``
    (``2016/12/aleppo``), or the file's stem when the file is named directly: stable across
    builds, and distinct for same-named files in different folders. A sidecar named directly
    (``x.toml``, as ``seeds/*`` names it) stands for its article ``x.txt``.

    What cannot be indexed is skipped with a one-line reason in ``skipped`` rather than
    stopping an archive's build: a folder that cannot be read, a dangling or looping link, a
    name that is not UTF-8 (it could not be cited), anything that is not a regular file, a file
    that cannot be opened. A path that does not exist at all is a :class:`CorpusError`.
    """
    notes = skipped if skipped is not None else []
    found: list[tuple[Path, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(path: Path, article_id: str) -> None:
        if (str(path), article_id) not in seen and _readable_file(path, notes):
            seen.add((str(path), article_id))
            found.append((path, article_id))

    for raw in paths:
        path = Path(raw)
        if not _utf8_name(str(path)):
            notes.append(f"{shown(path)}: skipped, the name is not UTF-8")
            continue
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as exc:  # a link loop, a folder above that cannot be searched
            notes.append(f"{path}: skipped, {_reason(exc)}")
            continue
        if is_dir:
            files: list[tuple[Path, str]] = []
            _walk(path, PurePosixPath(), files, notes, set())
            for file, article_id in files:
                add(file, article_id)
        elif path.suffix.lower() == ".toml" and exists:
            article = path.with_suffix(".txt")
            if article.exists():
                add(article, article.stem)
            else:
                notes.append(f"{path}: skipped, a sidecar without its article {article.name}")
        elif exists:
            add(path, path.stem)
        elif path.is_symlink():
            notes.append(f"{path}: skipped, {_link_trouble(path)}")
        else:
            raise CorpusError(f"{path}: no such file or folder")
    return found


def shown(path: Path | str) -> str:
    """A path for a message: bytes that are not UTF-8 shown as escapes (``\\xe3``)."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def _utf8_name(name: str) -> bool:
    """File names come from the OS with undecodable bytes as surrogates (PEP 383)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a link that loops"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or type(exc).__name__


def _link_trouble(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        return "a link to nothing (dangling)" if exc.errno == errno.ENOENT else _reason(exc)
    return "not a regular file"


def _walk(
    folder: Path,
    below: PurePosixPath,
    found: list[tuple[Path, str]],
    notes: list[str],
    visiting: set[tuple[int, int]],
) -> None:
    """Depth-first, names sorted; linked folders are followed unless they loop back."""
    try:
        info = folder.stat()
        key = (info.st_dev, info.st_ino)
        if key in visiting:
            notes.append(f"{shown(folder)}: skipped, a link that loops back to a folder above")
            return
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        notes.append(f"{shown(folder)}: skipped folder, {_reason(exc)}")
        return
    visiting = visiting | {key}
    for entry in entries:
        path = folder / entry.name
        is_txt = entry.name.lower().endswith(".txt")
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:
            if is_txt:
                notes.append(f"{shown(path)}: skipped, {_reason(exc)}")
            continue
        if not is_dir and not is_txt:
            continue
        if not _utf8_name(entry.name):
            notes.append(f"{shown(path)}: skipped, the name is not UTF-8")
            continue
        if is_dir:
            _walk(path, below / entry.name, found, notes, visiting)
        elif is_file:
            found.append((path, (below / entry.name).with_suffix("").as_posix()))
        elif entry.is_symlink():
            notes.append(f"{shown(path)}: skipped, {_link_trouble(path)}")
        else:
            notes.append(f"{shown(path)}: skipped, not a regular file")


def _readable_file(path: Path, notes: list[str]) -> bool:
    """A regular file this process may open: never blocks (a FIFO is refused, not opened)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    except OSError as exc:
        notes.append(f"{shown(path)}: skipped, {_reason(exc)}")
        return False
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    finally:
        os.close(fd)
    if not regular:
        notes.append(f"{shown(path)}: skipped, not a regular file")
    return regular


def read_article(path: Path, article_id: str | None = None) -> RawArticle:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from None
    first, blocks = text_blocks(text)
    if not first:
        raise CorpusError(f"{path}: empty article")
    meta, warnings = _read_sidecar(path)
    title = str(meta.get("title") or first)
    published = meta.get("published")
    if isinstance(published, dt.datetime):
        published = published.date()
    if published is not None and not isinstance(published, dt.date):
        warnings.append(f"{path.with_suffix('.toml')}: published must be a date like 2016-12-15")
        published = None
    if published is not None:
        warnings.extend(_doubtful(path.with_suffix(".toml"), published))
    if published is None:
        warnings.append(
            f"{path}: no published date (add published = YYYY-MM-DD to "
            f"{path.with_suffix('.toml').name}); its event dates stay year-less"
        )
    origin = meta.get("source")
    return RawArticle(
        id=article_id or path.stem,
        path=path,
        title=title,
        blocks=blocks,
        published=published,
        origin=str(origin) if origin else None,
        language=str(meta.get("language", "ar")),
        warnings=tuple(warnings),
    )


_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")


def text_blocks(text: str) -> tuple[str, tuple[Block, ...]]:
    """The title line and the blocks after it: one paragraph a line, blank lines skipped."""
    title = ""
    blocks: list[Block] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        marked = _MARKDOWN_HEADING.match(line)
        if marked and marked[2]:
            line = marked[2]
        if not title:
            title = line
        elif marked and marked[2]:
            blocks.append(Block(line, heading=True))
        else:
            blocks.append(Block(line))
    return title, tuple(blocks)


# Before the first Arabic newspapers: a date this old is a typing slip (0001-01-01).
_EARLIEST = dt.date(1800, 1, 1)


def _doubtful(sidecar: Path, published: dt.date) -> list[str]:
    """A publication date that would silently misdate every year-less event."""
    if published > dt.date.today() + dt.timedelta(days=1):  # a day's grace for time zones
        when = "is in the future"
    elif published < _EARLIEST:
        when = f"is before {_EARLIEST.year}"
    else:
        return []
    return [
        f"{sidecar}: published {published.isoformat()} {when}; "
        "the year of every year-less event date is taken from it"
    ]


def _read_sidecar(path: Path) -> tuple[dict[str, object], list[str]]:
    sidecar = path.with_suffix(".toml")
    if not sidecar.exists():
        return {}, []
    try:
        return tomllib.loads(sidecar.read_text(encoding="utf-8")), []
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        return {}, [f"{sidecar}: ignored, not valid TOML ({exc})"]
