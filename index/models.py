"""The data that flows from the chunker to the reply, unchanged on the way.

A :class:`Passage` is made once by the chunker, stored in the index, ranked, and rendered by
the console, the JSON contract and the Telegram bot alike. Dates are ISO strings because the
article's events carry no year: without a publication date they stay year-less (``--12-06``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Protocol

from pydantic import BaseModel, ConfigDict, Field

from khabar.index.calendar import ISO_DAY_PATTERN, PartialDate

IsoDay = Annotated[str, Field(pattern=ISO_DAY_PATTERN)]


def passage_id(article: str, paragraph: int) -> str:
    """Stable across builds: the article's id and the paragraph's number in it."""
    return f"{article}-p{paragraph}"


class DateSource(StrEnum):
    """How a passage got its date (shown to users: it is how sure we are)."""

    EXPLICIT = "explicit"  # "في 15 نوفمبر/ تشرين الثاني", "الثلاثاء 13 ديسمبر 2016"
    DATELINE = "dateline"  # "دمشق - 12 ديسمبر (رويترز) -": also the article's reference day
    WEEKDAY = "weekday"  # "يوم الاثنين", "مساء السبت": that weekday, on or before the reference
    DEICTIC = "deictic"  # "أمس", "قبل يومين": counted from the reference day
    RELATIVE = "relative"  # "في اليوم التالي", "قبل ذلك بيوم": from the previous dated paragraph
    APPROXIMATE = "approximate"  # "نهاية نوفمبر", "في عام 2013": a span date..date_end
    INHERITED = "inherited"  # no date of its own: the dated paragraph before it, same section


class Cited(Protocol):
    """What a citation needs of an article."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def published(self) -> dt.date | None: ...
    @property
    def origin(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def site(self) -> str | None: ...


class Citation(BaseModel):
    """Where a passage comes from: the article and the paragraph's number in it."""

    model_config = ConfigDict(frozen=True)

    article: str = Field(description="article id (the file's stem)")
    title: str
    paragraph: int = Field(
        ge=1, description="1-based paragraph number; title, headings not counted"
    )
    published: dt.date | None = None
    origin: str | None = Field(default=None, description="source name or URL")
    url: str | None = Field(default=None, description="the page's canonical URL")
    site: str | None = Field(default=None, description="the publishing site's name")

    @classmethod
    def of(cls, article: Cited, paragraph: int) -> Citation:
        """The citation of an article's paragraph (an article read, or one stored)."""
        return cls(
            article=article.id,
            title=article.title,
            paragraph=paragraph,
            published=article.published,
            origin=article.origin,
            url=article.url,
            site=article.site,
        )


class Passage(BaseModel):
    """One paragraph with its date (if the article dates it) and its citation."""

    model_config = ConfigDict(frozen=True)

    id: str
    date: IsoDay | None = None
    date_end: IsoDay | None = None
    date_source: DateSource | None = None
    heading: str | None = None
    text: str
    source: Citation

    @property
    def dated(self) -> bool:
        return self.date is not None

    def start(self) -> PartialDate | None:
        return PartialDate.from_iso(self.date) if self.date else None

    def end(self) -> PartialDate | None:
        """Last day covered: ``date_end`` for a span, else the day itself."""
        if self.date_end:
            return PartialDate.from_iso(self.date_end)
        return self.start()


class Hit(BaseModel):
    """A ranked passage: the passage itself, never a copy of its fields."""

    passage: Passage
    score: float
    # ``passage.text[start:end]``: the sentence that answers the question, if one matches it
    answer: tuple[int, int] | None = None


class Article(BaseModel):
    """An indexed article's metadata (what its file says, overridden by its ``.toml`` sidecar)."""

    id: str
    title: str
    published: dt.date | None = None
    origin: str | None = None
    url: str | None = None
    site: str | None = None
    language: str = "ar"
    path: str
    passages: int = 0
    examples: list[str] = Field(default=[], description="questions the article answers")
