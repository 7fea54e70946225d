"""Saved web pages: the article's paragraphs, title, date and citation from the page itself.

trafilatura finds the article in the page — navigation, share buttons, captions, comments and
related-article boxes stay out — and gives it as structured XML, so ``<h2>``/``<h3>`` stay
section headings and paragraphs stay paragraphs, in reading order. htmldate reads the
publication date from what the page says about itself (``article:published_time``, JSON-LD
``datePublished``, the date in its URL, …), never from dates in the text: those are the events.

Both libraries get a parsed tree, never a string: handed a string that looks like a URL,
htmldate would fetch it, and reading an article must not touch the network. The bytes are
decoded as the page declares (a windows-1256 page says so in a ``<meta>``), since guessing an
encoding from a short Arabic page often picks a wrong one.
"""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from khabar.index.corpus import Block, web_url
from khabar.index.normalize import normalize

# The libraries log each page they give up on; the caller reports skipped pages itself.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# <meta charset="windows-1256"> or <meta http-equiv="Content-Type" content="…; charset=…">.
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# What browsers do with these labels (WHATWG Encoding): Latin-1 and ASCII pages are windows-1252.
_LABELS = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
           "us-ascii": "cp1252", "utf-16": "utf-8", "utf-16le": "utf-8",
           "utf-16be": "utf-8"}  # fmt: skip
# The mark a browser leaves in a saved page: <!-- saved from url=(0071)https://… -->
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)
# A <title> that names the site beside the headline: "أخبار تونس :: انطلاق امتحانات …".
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—•·»«:~-]|::|\|\|)\s+")

# Arabic labels of the boxes that point to other articles. trafilatura drops such boxes by
# their class names and link density; inline ones ("<p><b>اقرأ أيضاً:</b> <a>…</a></p>") it
# keeps, because its rules know no Arabic.
_READ_ALSO = tuple(
    normalize(label)
    for label in (
        "اقرأ أيضاً", "اقرأ كذلك", "اقرأ المزيد", "طالع أيضاً", "شاهد أيضاً", "ذات صلة",
        "أخبار ذات صلة", "مواضيع ذات صلة", "مقالات ذات صلة", "موضوعات ذات صلة",
    )
)  # fmt: skip
# A label and at most this many words of one headline, however linked, point elsewhere.
TEASER_WORDS = 14
_SENTENCE_END = re.compile(r"[.!?؟،,؛]")
_AD_LABELS = {normalize(label) for label in ("إعلان", "إعلانات", "مساحة إعلانية", "advertisement")}
_AD_TAGS = ("amp-ad", "amp-embed", "amp-sticky-ad")

_HEADINGS = {"head", "h1", "h2", "h3", "h4", "h5", "h6"}
_TEXT = {"p", "item", "li", "quote", "blockquote", "code", "pre"}
_NOT_TEXT = {"graphic", "img", "figure", "figcaption", "ref", "note"}
_BOLD = {"#b", "#strong"}


@dataclass(frozen=True)
class Page:
    """What a page says about its article (a sidecar may override any of it)."""

    title: str
    blocks: tuple[Block, ...]
    published: dt.date | None
    url: str | None
    site: str | None


def decode(data: bytes) -> str:
    """The page's text: a BOM, valid UTF-8, the encoding the page declares, else a guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(data[:8192])
    if declared:
        label = declared[1].decode("ascii").lower()
        try:
            return data.decode(codecs.lookup(_LABELS.get(label, label)).name)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: guess instead
    from trafilatura.utils import decode_file

    return decode_file(data)


def read_page(data: bytes) -> Page | None:
    """The article in a saved page, or None when the page holds no article text."""
    from htmldate import find_date
    from trafilatura import bare_extraction
    from trafilatura.settings import Document
    from trafilatura.utils import load_html

    text = decode(data)
    tree = load_html(text)
    if tree is None or tree.tag != "html":
        # a page cut off inside <script> or <style> parses to that element alone: no page to
        # read, and htmldate cannot drop the element that is the whole tree
        return None
    _prune(tree)
    saved = _SAVED_FROM.search(text[:4096])
    document = bare_extraction(
        tree,
        url=web_url(saved[1]) if saved else None,
        with_metadata=True,
        favor_precision=True,  # a page of menus or a login form is no article: skip it
        include_comments=False,
        include_images=False,
        include_tables=True,
        include_formatting=True,
        include_links=False,
        # trafilatura dates the page too; the date used is htmldate's own call below
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    if not isinstance(document, Document) or document.body is None:  # as_dict=False: a Document
        return None
    url = web_url(document.url) or (web_url(saved[1]) if saved else None)
    title = _headline(_clean(document.title), tree)
    blocks = list(_blocks(document.body))
    while blocks and blocks[0].heading and _same(blocks[0].text, title):
        blocks.pop(0)  # the page's <h1>: the title, not a section
    if not any(not block.heading for block in blocks):
        return None
    day = find_date(tree, url=url, original_date=True, extensive_search=False)
    return Page(
        title=title or blocks[0].text,
        blocks=tuple(blocks),
        published=dt.date.fromisoformat(day) if day else None,
        url=url,
        site=_clean(document.sitename) or None,
    )


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _same(a: str, b: str) -> bool:
    return normalize(a) == normalize(b)


def _headline(title: str, tree: Any) -> str:
    """The headline, when the title came from a <title> that also names the site.

    Site names are short and headlines long: of "أخبار تونس :: انطلاق امتحانات البكالوريا" the
    longer part is the headline.
    """
    element = tree.find(".//head//title")
    if element is None:
        return title
    whole = _clean(element.text_content())
    parts = [part for part in _TITLE_SEPARATOR.split(whole) if part]
    if len(parts) > 1 and (title == whole or title in parts):
        return max(parts, key=len)
    return title


def _prune(tree: Any) -> None:
    """Drop ad slots and Arabic "read also" boxes before trafilatura looks at the page."""
    for element in tree.xpath(" | ".join(f"//{tag}" for tag in _AD_TAGS)):
        element.drop_tree()
    dropped: set[Any] = set()
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue  # a comment, or the page itself: never dropped whole
        if any(a in dropped for a in element.iterancestors()):
            continue
        text = _clean(element.text_content())
        if not text:
            continue
        head = normalize(text[:40])
        if head in _AD_LABELS or (head.startswith(_READ_ALSO) and _mostly_links(element, text)):
            element.drop_tree()
            dropped.add(element)


def _mostly_links(element: Any, text: str) -> bool:
    """Whether the text after a box's label is mostly link text (headlines of other pages), or
    one short headline whose link did not survive the saving."""
    linked = sum(len(_clean(a.text_content())) for a in element.iter("a"))
    label = next((len(w) for w in _READ_ALSO if normalize(text).startswith(w)), 0)
    rest = text[label:]
    if len(rest.split()) <= TEASER_WORDS and not _SENTENCE_END.search(rest.rstrip(" .")):
        return True
    return linked > 0 and linked >= 0.5 * (len(text) - label)


def _blocks(body: Any) -> Iterator[Block]:
    """Headings and paragraphs of trafilatura's XML, in reading order."""
    for child in body:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _NOT_TEXT:
            continue
        if tag == "table" and not _layout(child):
            yield from _rows(child)
        elif tag in _HEADINGS:
            if text := _clean("".join(_text(child))):
                yield Block(text, heading=True)
        elif tag in _TEXT and not any(
            isinstance(d.tag, str) and (d.tag in _TEXT or d.tag in _HEADINGS)
            for d in child.iterdescendants()
        ):
            if text := _clean("".join(_text(child))):
                # A paragraph set all in bold is how many editors write a subheading: the
                # chunker decides by looking. Any other paragraph is a paragraph.
                yield Block(text, heading=None if _all_bold(child, text) else False)
        else:
            yield from _blocks(child)


def _layout(table: Any) -> bool:
    """A table that lays out a page (its cells hold paragraphs), not one of data."""
    return any(d.tag in _TEXT or d.tag in _HEADINGS for d in table.iter() if d is not table)


def _rows(table: Any) -> Iterator[Block]:
    """A data table, one paragraph a row; with a header row each value says its column
    ("القائمة: المستقلون، المقاعد: 2100"), so a row read alone still makes sense."""
    header: list[str] = []
    for row in table.iter("row"):
        cells = [_clean("".join(_text(cell))) for cell in row.iter("cell")]
        if all(cell.get("role") == "head" for cell in row.iter("cell")):
            header = cells
            continue
        if len(header) == len(cells):
            text = "، ".join(
                f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=True) if c
            )
        else:
            text = " | ".join(cell for cell in cells if cell)
        if text:
            yield Block(text, heading=False)


def _text(element: Any) -> Iterator[str]:
    """The element's text without captions or images inside it; a line break is a space."""
    if element.text:
        yield element.text
    for child in element:
        if child.tag == "lb":
            yield " "
        elif isinstance(child.tag, str) and child.tag not in _NOT_TEXT:
            yield from _text(child)
        if child.tail:
            yield child.tail


def _all_bold(element: Any, text: str) -> bool:
    bold = " ".join("".join(hi.itertext()) for hi in element.iter("hi") if hi.get("rend") in _BOLD)
    return _clean(bold) == text
