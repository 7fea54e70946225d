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
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


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


def find_articles(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Expand files and folders into (article file, article id), in a stable (sorted) order.

    An id is the file's path below the folder it was found in, without ``.txt``
    (``2016/12/aleppo``), or the file's stem when the file is named directly: stable across
    builds, and distinct for same-named files in different folders.
    """
    found: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.txt") if p.is_file())
            found.extend((p, p.relative_to(path).with_suffix("").as_posix()) for p in files)
        elif path.is_file():
            found.append((path, path.stem))
        else:
            raise CorpusError(f"{path}: no such file or folder")
    return found


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


def _read_sidecar(path: Path) -> tuple[dict[str, object], list[str]]:
    sidecar = path.with_suffix(".toml")
    if not sidecar.exists():
        return {}, []
    try:
        return tomllib.loads(sidecar.read_text(encoding="utf-8")), []
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        return {}, [f"{sidecar}: ignored, not valid TOML ({exc})"]
