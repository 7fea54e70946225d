"""Reading articles: a UTF-8 ``.txt`` (title line, one paragraph per line) and its ``.toml``.

The sidecar carries what the text cannot: ``published`` (resolves year-less event dates),
``source`` and ``title``. Problems are collected as one-line messages, never raised mid-build,
so ``khabar index build`` can say exactly which file lacks what.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


class CorpusError(Exception):
    """An article that cannot be read at all (the message is one line naming the file)."""


@dataclass(frozen=True)
class RawArticle:
    id: str
    path: Path
    title: str
    lines: tuple[str, ...]  # every line of the file, 1-based line n is lines[n - 1]
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
    lines = tuple(line.strip() for line in text.replace("\r\n", "\n").split("\n"))
    if not any(lines):
        raise CorpusError(f"{path}: empty article")
    meta, warnings = _read_sidecar(path)
    title = str(meta.get("title") or next(line for line in lines if line))
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
        lines=lines,
        published=published,
        origin=str(origin) if origin else None,
        language=str(meta.get("language", "ar")),
        warnings=tuple(warnings),
    )


def _read_sidecar(path: Path) -> tuple[dict[str, object], list[str]]:
    sidecar = path.with_suffix(".toml")
    if not sidecar.exists():
        return {}, []
    try:
        return tomllib.loads(sidecar.read_text(encoding="utf-8")), []
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        return {}, [f"{sidecar}: ignored, not valid TOML ({exc})"]
