"""Reading articles: plain text, Markdown and saved web pages, each with an optional sidecar.

* ``.txt`` (UTF-8): the title line, then one paragraph a line; Markdown ``#`` lines are the
  title and ``##``/``###`` lines section headings; any other line is a paragraph or, if it reads
  like one, a heading (the chunker decides).
* ``.md``: ``#`` title, ``##`` headings, paragraphs separated by blank lines (a paragraph may
  wrap over several lines), optional TOML front matter between ``+++`` lines.
* ``.html``/``.htm``: a saved page; see :mod:`khabar.index.webpage`.

An article is read into :class:`Block` s in reading order, so the chunker never sees a file
format. A sidecar ``.toml`` of the same name overrides what the file says: ``published``
(resolves year-less event dates), ``source``, ``title``, ``url``, ``site``, and ``examples``
(questions the article answers, offered to its readers). Problems are
collected as one-line messages, never raised mid-build, so ``khabar index build`` can say
exactly which file lacks what.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import errno
import itertools
import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# How each kind of article file is read; a file named on the command line with another suffix
# is read as text.
FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
           ".htm": "html"}  # fmt: skip
# Opening a file never blocks (a FIFO), where the OS can say so.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class CorpusError(Exception):
    """An article that cannot be read at all (the message is one line naming the file)."""


class SkippedArticle(CorpusError):
    """An article that cannot be used (unreadable, not text): skipped, the build goes on."""


class EmptyArticle(SkippedArticle):
    """An article with no text (a page that is all navigation): skipped, the build goes on."""


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
    url: str | None = None
    site: str | None = None
    examples: tuple[str, ...] = ()


def find_articles(
    paths: Iterable[str | Path], skipped: list[str] | None = None
) -> list[tuple[Path, str]]:
    """Expand files and folders into (article file, article id), in a stable (sorted) order.

    A folder gives its ``.txt``, ``.md``, ``.html`` and ``.htm`` files, at any depth; hidden
    files (editor backups, macOS ``._`` files) and the files a browser saves beside a page
    (``page_files/`` next to ``page.html``) are no articles. An id is the file's path below the
    folder it was found in, without its suffix (``2016/12/aleppo``), or the file's stem when the
    file is named directly: stable across builds, and distinct for same-named files in different
    folders. A sidecar named directly (``x.toml``, as ``seeds/*`` names it) stands for its
    article (``x.txt``, ``x.md``, ``x.html``).

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
            articles = [path.with_suffix(suffix) for suffix in FORMATS]
            article = next((a for a in articles if a.exists()), None)
            if article is not None:
                add(article, article.stem)
            else:
                notes.append(f"{path}: skipped, a sidecar without its article {path.stem}.txt")
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
    names = {entry.name for entry in entries}
    for entry in entries:
        path = folder / entry.name
        is_article = Path(entry.name).suffix.lower() in FORMATS
        if entry.name.startswith(".") or _saved_beside_a_page(entry.name, names):
            continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:
            if is_article:
                notes.append(f"{shown(path)}: skipped, {_reason(exc)}")
            continue
        if not is_dir and not is_article:
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


def _saved_beside_a_page(name: str, names: set[str]) -> bool:
    """``page_files``, the folder a browser saves a page's parts in next to ``page.html``."""
    page = name.removesuffix("_files")
    return page != name and (f"{page}.html" in names or f"{page}.htm" in names)


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
    """Read one article file and its sidecar; :class:`EmptyArticle` if it has no text."""
    kind = FORMATS.get(path.suffix.lower(), "text")
    warnings: list[str] = []
    found: dict[str, Any] = {}
    if kind == "html":
        from khabar.index.webpage import read_page

        page = read_page(_read_bytes(path))
        if page is None:
            raise EmptyArticle(f"{path}: skipped, no article text found in the page")
        first, blocks = page.title, page.blocks
        found = {"published": page.published, "url": page.url, "site": page.site}
        found["source"] = page.site or page.url
    elif kind == "markdown":
        text, found = _front_matter(_read_text(path), path, warnings)
        first, blocks = markdown_blocks(text)
    else:
        first, blocks = text_blocks(_read_text(path))
    if not first:
        raise EmptyArticle(f"{path}: skipped, empty article")
    if not blocks:
        raise EmptyArticle(f"{path}: skipped, a title and no paragraphs")
    sidecar, problems = _read_sidecar(path)
    warnings.extend(problems)
    meta = {**{k: v for k, v in found.items() if v is not None}, **sidecar}
    title = str(meta.get("title") or first)
    published = _date(meta.get("published"), path, warnings)
    if published is not None:
        said = path.with_suffix(".toml") if "published" in sidecar else path
        warnings.extend(_doubtful(said, published))
    if published is None:
        warnings.append(
            f"{path}: no published date (add published = YYYY-MM-DD to "
            f"{path.with_suffix('.toml').name}); its event dates stay year-less"
        )
    url = meta.get("url")
    if url is not None and web_url(url) is None:
        warnings.append(f"{path}: url ignored, not an http(s) address: {str(url)[:80]}")
    origin, site = meta.get("source"), meta.get("site")
    return RawArticle(
        id=article_id or path.stem,
        path=path,
        title=title,
        blocks=blocks,
        published=published,
        origin=str(origin) if origin else None,
        language=str(meta.get("language", "ar")),
        warnings=tuple(warnings),
        url=web_url(url),
        site=str(site) if site else None,
        examples=tuple(meta.get("examples", ())),
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SkippedArticle(f"{path}: skipped, cannot read ({exc.strerror})") from None


def _read_text(path: Path) -> str:
    """UTF-8, or UTF-16 that says so with its byte order mark (Windows' "Unicode")."""
    data = _read_bytes(path)
    if data[:4] == b"PK\x03\x04":  # a zip: most likely an index named as an article
        raise SkippedArticle(
            f"{path}: skipped, a zip archive (such as a khabar index), not an article"
        )
    encoding = "utf-16" if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SkippedArticle(
            f"{path}: skipped, not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
        ) from None
    if "\x00" in text:  # a tar archive or another binary file that happens to decode
        raise SkippedArticle(f"{path}: skipped, a binary file (it holds NUL bytes), not text")
    return text


def _date(value: object, path: Path, warnings: list[str]) -> dt.date | None:
    if isinstance(value, str):  # published = "2016-12-15": a date quoted as a string
        with contextlib.suppress(ValueError):
            value = dt.datetime.fromisoformat(value.strip())
    if isinstance(value, dt.datetime):
        return value.date()
    if value is None or isinstance(value, dt.date):
        return value
    warnings.append(f"{path.with_suffix('.toml')}: published must be a date like 2016-12-15")
    return None


def web_url(url: object) -> str | None:
    """``url`` if it is an absolute http(s) URL (a citation may link to it), else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


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


_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.S)
_YAML_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _front_matter(text: str, path: Path, warnings: list[str]) -> tuple[str, dict[str, Any]]:
    """A Markdown article's text after its ``+++`` TOML front matter, and what that says."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _FRONT_MATTER.match(text)
    if match is None:
        yaml = _YAML_FRONT_MATTER.match(text)
        if yaml is not None and re.match(r"^\w+\s*:", yaml[1]):
            warnings.append(f"{path}: YAML front matter ignored; write it as TOML between +++")
            return text[yaml.end() :], {}
        if text.lstrip("\ufeff").startswith("+++\n"):
            warnings.append(f"{path}: front matter never closed (a +++ line must end it)")
        return text, {}
    try:
        meta = tomllib.loads(match[1])
    except tomllib.TOMLDecodeError as exc:
        warnings.append(f"{path}: front matter ignored, not valid TOML ({exc})")
        return text[match.end() :], {}
    warnings.extend(_unfit(meta, path))
    return text[match.end() :], meta


def markdown_blocks(text: str) -> tuple[str, tuple[Block, ...]]:
    """The title and the blocks after it, read with a CommonMark parser.

    The first heading (or, without one, the first paragraph) is the title; later headings are
    section headings. A paragraph's wrapped lines are joined; list items and quotes are
    paragraphs; emphasis, links and images are reduced to their words (images to nothing).
    """
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    title = ""
    blocks: list[Block] = []
    for opening, inline in itertools.pairwise(tokens):
        if inline.type != "inline" or opening.type not in ("heading_open", "paragraph_open"):
            continue
        words = " ".join(_inline_text(inline.children or []).split())
        if not words:
            continue
        if not title and not blocks:
            title = words
        elif opening.type == "heading_open":
            blocks.append(Block(words, heading=True))
        else:
            blocks.append(Block(words, heading=None if _all_strong(inline) else False))
    return title, tuple(blocks)


def _inline_text(children: list[Any]) -> str:
    parts: list[str] = []
    for token in children:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _all_strong(inline: Any) -> bool:
    """A paragraph set all in bold (``**هجوم واسع**``): maybe a heading, the chunker decides."""
    children = [t for t in inline.children or [] if t.type != "text" or t.content.strip()]
    return (
        len(children) >= 3
        and children[0].type == "strong_open"
        and children[-1].type == "strong_close"
        and sum(token.type == "strong_open" for token in children) == 1
    )


def _read_sidecar(path: Path) -> tuple[dict[str, Any], list[str]]:
    sidecar = path.with_suffix(".toml")
    if not sidecar.exists():
        return {}, []
    try:
        meta = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        return {}, [f"{sidecar}: ignored, not valid TOML ({exc})"]
    return meta, _unfit(meta, sidecar)


def _unfit(meta: dict[str, Any], said: Path) -> list[str]:
    """Drop the values of the wrong kind from a sidecar or front matter, saying which."""
    problems = []
    for key in _TEXT_KEYS:
        if key in meta and not isinstance(meta[key], str):
            problems.append(f'{said}: {key} ignored, must be text in quotes ({key} = "…")')
            del meta[key]
    asked = meta.get("examples")
    if asked is not None and not (
        isinstance(asked, list) and all(isinstance(q, str) and q.strip() for q in asked)
    ):
        problems.append(f'{said}: examples ignored, must be questions in quotes (examples = ["…"])')
        del meta["examples"]
    return problems


_TEXT_KEYS = ("title", "source", "url", "site", "language")
