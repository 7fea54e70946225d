"""Every array an index file holds, checked before anything indexes with it.

A file can pass the meta checksum and still be wrong: damaged, written by hand, by another tool,
or by a bug. Its numbers become list indices, slice bounds, calendar days and UTF-8 text at
question time, where a bad one is an IndexError, an OverflowError or a UnicodeDecodeError in the
middle of an answer. So each array's type, shape and range is checked, and the first fault is a
ValueError naming the array (the store turns it into one line naming the file). Arrays of one
value per passage or per term are checked on load, in vectorized passes; the two that grow with
the archive's words — postings and text — are checked piece by piece the first time a question
reads a piece, so opening an archive never reads all of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

POSTINGS_KEYS = (
    "variant", "params", "doc_len", "indptr", "doc", "tf", "idf", "vocab", "vocab_at",
    "vocab_order",
)  # fmt: skip
PASSAGE_COLUMNS = (
    "article", "paragraph", "event", "source", "heading", "start", "end", "start_md",
    "end_md", "has_year", "span", "text_offsets", "text_blob", "mention_of",
    "mention_start", "mention_end", "mention_start_md", "mention_end_md", "mention_has_year",
    "start_order", "start_md_order", "mention_start_order", "mention_start_md_order",
)  # fmt: skip
_DAYS = ("start", "end", "start_md", "end_md")
_ORDERS = ("start_order", "start_md_order")

_INT32_MAX = 2**31 - 1
_LAST_DAY = dt.date.max.toordinal()
_PARAM_MAX = 1e6  # k1, b, epsilon, delta: far above any useful value, far below overflow


def _kind(name: str, array: np.ndarray, kinds: str, ndim: int | None = 1) -> None:
    if array.dtype.kind not in kinds or (ndim is not None and array.ndim != ndim):
        raise ValueError(f"array {name} has the wrong type ({array.dtype}, {array.ndim}-D)")


def _within(name: str, array: np.ndarray, low: int, high: int) -> None:
    """Every value in [low, high] (compared as Python ints: no wrap-around in uint64)."""
    if array.size and (int(array.min()) < low or int(array.max()) > high):
        raise ValueError(f"array {name} holds values outside {low}..{high}")


def postings(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The BM25 arrays of one scorer (``PostingsBM25.to_arrays``), checked; returned as arrays.

    Beyond types and sizes: offsets rise from 0 to the end of what they slice, lengths and idf
    are numbers a build makes. The postings themselves are checked term by term when first
    read (:func:`posting_list`): on open they are only mapped, not read.
    """
    missing = [key for key in POSTINGS_KEYS if key not in arrays]
    if missing:
        raise ValueError(f"BM25 arrays lack {', '.join(missing)}")
    a = {key: np.asarray(arrays[key]) for key in POSTINGS_KEYS}
    for key, kinds in (
        ("variant", "U"), ("vocab", "U"), ("params", "f"), ("idf", "f"), ("doc_len", "iu"),
        ("indptr", "iu"), ("doc", "iu"), ("tf", "iu"), ("vocab_at", "iu"), ("vocab_order", "iu"),
    ):  # fmt: skip
        if a[key].dtype.kind not in kinds or (kinds != "U" and a[key].ndim != 1):
            raise ValueError(f"BM25 array {key} has the wrong type ({a[key].dtype})")
    if a["variant"].size != 1 or a["vocab"].size != 1 or a["params"].size != 4:
        raise ValueError("BM25 variant, vocab or params has the wrong size")
    params = a["params"]
    if not np.all(np.isfinite(params)) or np.any(np.abs(params) > _PARAM_MAX):
        raise ValueError("BM25 params are not finite numbers of a sensible size")
    try:
        text = str(a["vocab"].item())
        str(a["variant"].item())
    except (ValueError, UnicodeError) as exc:  # code points past U+10FFFF
        raise ValueError(f"BM25 vocab is not text ({exc})") from None
    at, indptr, doc, tf, doc_len = a["vocab_at"], a["indptr"], a["doc"], a["tf"], a["doc_len"]
    n_terms, n_docs = at.size - 1, doc_len.size
    if n_terms < 0:
        raise ValueError("BM25 vocabulary offsets are inconsistent")
    _within("BM25 vocab_at", at, 0, len(text))
    if at[0] != 0 or at[-1] != len(text) or np.any(np.diff(at.astype(np.int64, copy=False)) < 0):
        raise ValueError("BM25 vocabulary offsets are inconsistent")
    if indptr.size != n_terms + 1 or a["idf"].size != n_terms:
        raise ValueError("BM25 postings and vocabulary sizes disagree")
    order = a["vocab_order"]
    _within("BM25 vocab_order", order, 0, n_terms - 1)
    if order.size != n_terms or np.any(np.bincount(order, minlength=n_terms) != 1):
        raise ValueError("BM25 vocab_order is not an order of the terms")
    _within("BM25 indptr", indptr, 0, doc.size)
    if indptr[0] != 0 or indptr[-1] != doc.size or tf.size != doc.size:
        raise ValueError("BM25 postings sizes are inconsistent")
    lengths = np.diff(indptr.astype(np.int64, copy=False))
    if np.any(lengths < 0):
        raise ValueError("BM25 postings offsets are inconsistent")
    if n_docs > _INT32_MAX:
        raise ValueError("BM25 has more documents than an index can hold")
    _within("BM25 doc_len", doc_len, 0, _INT32_MAX)
    if not np.all(np.isfinite(a["idf"])) or np.any(np.abs(a["idf"]) > _PARAM_MAX):
        raise ValueError("BM25 idf is not finite")
    return a


class IndexFileError(Exception):
    """An index file that cannot be used; ``str(e)`` is one line naming the file and why."""


class CorruptIndex(IndexFileError, ValueError):
    """Arrays found wrong when a question first reads them (a term's postings, a text)."""

    def __init__(self, origin: str | None, fault: str) -> None:
        super().__init__(f"{origin or 'index'}: corrupt khabar index ({fault}); rebuild it")


def posting_list(
    term: str, doc: np.ndarray, tf: np.ndarray, n_docs: int, origin: str | None = None
) -> None:
    """One term's postings, checked the first time a question reads them.

    Every posting names an existing document, in ascending order, with a positive frequency.
    An archive's postings run to tens of millions: checking them all on open would read the
    whole file, so each list is checked when first used (a list is read whole anyway then).
    """
    if not doc.size:
        return
    if int(doc[0]) < 0 or int(doc[-1]) >= n_docs or np.any(np.diff(doc.astype(np.int64)) <= 0):
        raise CorruptIndex(origin, f"the postings of {term!r} are not documents in order")
    if int(tf.min()) < 1 or int(tf.max()) > _INT32_MAX:
        raise CorruptIndex(origin, f"the postings of {term!r} hold impossible frequencies")


ARTICLE_ARRAYS = ("article_json", "article_at", "article_published")


def article_arrays(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The stored articles: JSON bytes cut by offsets, a publication day (ordinal, 0 for none)
    each; returned as arrays. Each article's JSON is checked when it is read."""
    missing = [name for name in ARTICLE_ARRAYS if name not in arrays]
    if missing:
        raise ValueError(f"article arrays missing: {', '.join(missing)}")
    a = {name: np.asarray(arrays[name]) for name in ARTICLE_ARRAYS}
    _kind("article_json", a["article_json"], "u")
    _kind("article_at", a["article_at"], "iu")
    _kind("article_published", a["article_published"], "iu")
    data, at = a["article_json"], a["article_at"]
    if data.dtype.itemsize != 1 or at.size < 1 or a["article_published"].size != at.size - 1:
        raise ValueError("article arrays do not fit together")
    _within("article_at", at, 0, data.size)
    if at[0] != 0 or at[-1] != data.size or np.any(np.diff(at) < 0):
        raise ValueError("article offsets are inconsistent")
    _within("article_published", a["article_published"], 0, _LAST_DAY)
    return a


def _day_orders(c: dict[str, np.ndarray], prefix: str) -> None:
    """A calendar's day orders (:mod:`khabar.index.days`) list every dated row once, in order:
    a date question trusts them to find its rows by binary search."""
    start, has_year = c[prefix + "start"], c[prefix + "has_year"]
    start_md = c[prefix + "start_md"]
    dated = start >= 0
    yearless = dated & ~has_year
    if np.any(start[yearless] != start_md[yearless]):
        raise ValueError(f"{prefix or 'passage '}year-less days differ from their month and day")
    count = int(np.count_nonzero(dated))
    # One key a row, undated rows below every dated one: days with a year after year-less days.
    keys = {
        "start_order": np.where(has_year, start.astype(np.int64) + _LAST_DAY + 1, start),
        "start_md_order": np.where(dated, start_md, -1),
    }
    for name, key in keys.items():
        order = c[prefix + name]
        _within(prefix + name, order, 0, start.size - 1)
        if order.size != count:
            raise ValueError(f"array {prefix + name} does not list every dated row")
        if not count:
            continue
        rows = order.astype(np.int64, copy=False)
        ordered = key[rows]
        step = np.diff(ordered)
        # Rising in (day, row): sorted, and no row twice.
        if ordered[0] < 0 or np.any(step < 0) or np.any((step == 0) & (np.diff(rows) <= 0)):
            raise ValueError(f"array {prefix + name} is not in day order")


def passage_columns(
    columns: dict[str, np.ndarray], n_articles: int, headings: Sequence[object]
) -> None:
    """The passage columns (``PassageTable``) of an index read from disk, checked.

    Every article and heading number names one that exists, every day is a real calendar
    day (or -1 for none) and spans end on or after they start, and the text offsets rise from 0
    to the end of the text (each passage's text is decoded, hence checked, when it is read).
    """
    missing = [name for name in PASSAGE_COLUMNS if name not in columns]
    if missing:
        raise ValueError(f"passage columns missing: {', '.join(missing)}")
    c = {name: np.asarray(columns[name]) for name in PASSAGE_COLUMNS}
    for name in ("event", "has_year", "span", "mention_has_year"):
        _kind(name, c[name], "b")
    for name in PASSAGE_COLUMNS:
        if name not in ("event", "has_year", "span", "mention_has_year", "text_blob"):
            _kind(name, c[name], "iu")
    _kind("text_blob", c["text_blob"], "u")
    if c["text_blob"].dtype.itemsize != 1:
        raise ValueError(f"array text_blob has the wrong type ({c['text_blob'].dtype})")
    n = c["paragraph"].size
    orders = [prefix + name for prefix in ("", "mention_") for name in _ORDERS]
    mentions = [n for n in PASSAGE_COLUMNS if n.startswith("mention_") and n not in orders]
    per_passage = [
        name
        for name in PASSAGE_COLUMNS
        if name not in ("text_offsets", "text_blob", *orders) and name not in mentions
    ]
    if any(c[name].size != n for name in per_passage):
        raise ValueError("passage columns differ in length")
    if len({c[name].size for name in mentions}) != 1:
        raise ValueError("mention columns differ in length")
    if not all(isinstance(h, str) for h in headings):
        raise ValueError("a heading is not text")
    from khabar.index.models import DateSource

    _within("article", c["article"], 0, n_articles - 1)
    _within("paragraph", c["paragraph"], 1, _INT32_MAX)
    _within("source", c["source"], -1, len(DateSource) - 1)
    _within("heading", c["heading"], -1, len(headings) - 1)
    _within("mention_of", c["mention_of"], 0, n - 1)
    for prefix in ("", "mention_"):
        for name in _DAYS:
            days = c[prefix + name]
            _within(prefix + name, days, -1, _LAST_DAY)
            if np.any(days == 0):
                raise ValueError(f"array {prefix + name} holds day 0, which no calendar has")
        start = c[prefix + "start"].astype(np.int64, copy=False)
        end = c[prefix + "end"].astype(np.int64, copy=False)
        undated = start < 0
        if np.any((end < 0) != undated) or np.any(end < start):
            raise ValueError(f"{prefix or 'passage '}date spans end before they start")
        if np.any(c[prefix + "has_year"] & undated):
            raise ValueError("an undated row is marked with a year")
        _day_orders(c, prefix)
    if np.any(c["span"] & (c["start"] < 0)):
        raise ValueError("an undated passage is marked as a span")
    offsets, blob = c["text_offsets"], c["text_blob"]
    if offsets.size != n + 1:
        raise ValueError("passage text offsets do not match the passages")
    _within("text_offsets", offsets, 0, blob.size)
    rising = np.all(np.diff(offsets.astype(np.int64, copy=False)) >= 0)
    if offsets[0] != 0 or offsets[-1] != blob.size or not rising:
        raise ValueError("passage text offsets are inconsistent")
    # The text itself (UTF-8, cut between characters) is checked passage by passage as it is
    # read: decoding all of it would read the whole file at every start.
