"""Saved web pages in the shapes Arabic news sites publish: each page's title, date, paragraphs
in order with their section headings, its citation, and nothing of what surrounds the article.

The pages in ``tests/pages`` are a CMS page with JSON-LD and Open Graph tags, an AMP page, a
WordPress page dated only by its URL, a page with related-article boxes and an ad inside the
body, and an old table-layout page in windows-1256 declared by its meta tag.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.index.chunker import chunk
from khabar.index.corpus import (
    CorpusError,
    EmptyArticle,
    RawArticle,
    find_articles,
    read_article,
)
from khabar.index.search import Engine
from khabar.index.webpage import decode

PAGES = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class Expected:
    title: str
    published: dt.date
    url: str | None
    site: str | None
    passages: list[tuple[str | None, str]]  # (section heading, paragraph) in reading order
    boilerplate: list[str]  # what the page shows around the article


def expected() -> dict[str, Expected]:
    table = tomllib.loads((PAGES / "expected.toml").read_text(encoding="utf-8"))
    return {
        name: Expected(
            title=page["title"],
            published=page["published"],
            url=page.get("url"),
            site=page.get("site"),
            passages=[(heading or None, text) for heading, text in page["passages"]],
            boilerplate=page["boilerplate"],
        )
        for name, page in table.items()
    }


EXPECTED = expected()


@pytest.fixture(scope="module")
def articles() -> dict[str, RawArticle]:
    return {name: read_article(PAGES / name) for name in EXPECTED}


NAMES = sorted(EXPECTED)
BOILERPLATE = [(name, text) for name in NAMES for text in EXPECTED[name].boilerplate]


@pytest.mark.parametrize("name", NAMES)
def test_title(articles, name: str) -> None:
    assert articles[name].title == EXPECTED[name].title


@pytest.mark.parametrize("name", NAMES)
def test_published_date(articles, name: str) -> None:
    assert articles[name].published == EXPECTED[name].published


@pytest.mark.parametrize("name", NAMES)
def test_paragraphs_in_order_under_their_headings(articles, name: str) -> None:
    passages = chunk(articles[name])
    assert [(p.heading, p.text) for p in passages] == EXPECTED[name].passages


@pytest.mark.parametrize("name", NAMES)
def test_paragraphs_are_numbered_from_one(articles, name: str) -> None:
    numbers = [p.source.paragraph for p in chunk(articles[name])]
    assert numbers == list(range(1, len(EXPECTED[name].passages) + 1))


@pytest.mark.parametrize("name", NAMES)
def test_canonical_url(articles, name: str) -> None:
    assert articles[name].url == EXPECTED[name].url


@pytest.mark.parametrize("name", NAMES)
def test_site_name(articles, name: str) -> None:
    assert articles[name].site == EXPECTED[name].site


@pytest.mark.parametrize("name", NAMES)
def test_a_page_needs_no_sidecar(articles, name: str) -> None:
    assert articles[name].warnings == ()


@pytest.mark.parametrize(("name", "text"), BOILERPLATE)
def test_nothing_around_the_article_is_indexed(articles, name: str, text: str) -> None:
    article = articles[name]
    indexed = [article.title, *(block.text for block in article.blocks)]
    assert not [line for line in indexed if text in line]


def test_the_page_date_gives_event_dates_their_year(articles) -> None:
    passages = chunk(articles["madaba-floods.html"])
    assert (passages[5].date, passages[5].date_source) == ("2024-01-12", "explicit")


def test_the_page_date_anchors_the_lead(articles) -> None:
    assert chunk(articles["madaba-floods.html"])[0].date == "2024-01-14"  # "صباح الأحد"


def test_short_paragraphs_stay(tmp_path: Path) -> None:
    path = tmp_path / "budget.html"
    paragraphs = [
        "أقرت الحكومة مساء الاثنين مشروع الموازنة العامة بعجز متوقع يبلغ ثلاثة بالمئة.",
        "وقال الوزير: «لن نرفع الضرائب».",
        "وأضاف أن الإنفاق الرأسمالي سيرتفع.",
        "ورحبت غرفة التجارة بالقرار.",
    ]
    body = "<h1>الحكومة تقر الموازنة</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
    path.write_text(page(body), encoding="utf-8")
    assert [block.text for block in read_article(path).blocks] == paragraphs


def test_the_citation_carries_url_and_site(articles) -> None:
    source = chunk(articles["madaba-floods.html"])[0].source
    assert (source.url, source.site, source.origin) == (
        "https://almadar.example/news/local/48213", "المدار نيوز", "المدار نيوز"
    )  # fmt: skip


def test_published_is_the_first_publication_not_the_update(articles) -> None:
    # The page also says dateModified 2024-01-15 and "آخر تحديث: 15 يناير".
    assert articles["madaba-floods.html"].published == dt.date(2024, 1, 14)


# ---- encodings ------------------------------------------------------------------------------


def page(body: str, head: str = "") -> str:
    head = f"<html><head>{head}<title>خبر</title></head>"
    return f"{head}<body><article>{body}</article></body></html>"


PARAGRAPH = "انطلقت صباح اليوم امتحانات البكالوريا في كامل أنحاء الجمهورية بمشاركة آلاف المترشحين."


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">',
        '<meta charset="windows-1256">',
        "<meta charset=cp1256>",
    ],
)
def test_a_windows_1256_page_reads_as_it_declares(tmp_path: Path, declaration: str) -> None:
    path = tmp_path / "old.html"
    path.write_bytes(page(f"<p>{PARAGRAPH}</p>", declaration).encode("cp1256"))
    assert [block.text for block in read_article(path).blocks] == [PARAGRAPH]


def test_an_iso_8859_6_page_reads_as_it_declares() -> None:
    data = page(f"<p>{PARAGRAPH}</p>", '<meta charset="iso-8859-6">').encode("iso-8859-6")
    assert PARAGRAPH in decode(data)


def test_utf8_wins_over_a_stale_declaration() -> None:
    # Re-saved as UTF-8 by an editor that left the old <meta> in place.
    data = page(f"<p>{PARAGRAPH}</p>", '<meta charset="windows-1256">').encode("utf-8")
    assert PARAGRAPH in decode(data)


def test_a_utf16_page_with_a_byte_order_mark_reads_right() -> None:
    data = page(f"<p>{PARAGRAPH}</p>").encode("utf-16")
    assert PARAGRAPH in decode(data)


# ---- the page's own marks, and a sidecar over them ------------------------------------------


def test_a_browser_saved_page_is_dated_by_the_url_it_was_saved_from(tmp_path: Path) -> None:
    path = tmp_path / "saved.html"
    saved = "<!-- saved from url=(0049)https://akhbar.example/2021/07/19/eid-prayers/ -->\n"
    path.write_text(saved + page(f"<p>{PARAGRAPH}</p>"), encoding="utf-8")
    article = read_article(path)
    assert (article.published, article.url) == (
        dt.date(2021, 7, 19), "https://akhbar.example/2021/07/19/eid-prayers/"
    )  # fmt: skip


def test_a_sidecar_overrides_what_the_page_says(tmp_path: Path) -> None:
    path = tmp_path / "madaba.html"
    path.write_bytes((PAGES / "madaba-floods.html").read_bytes())
    path.with_suffix(".toml").write_text(
        'title = "سيول مأدبا"\npublished = 2024-01-13\nsource = "أرشيف المدار"\n'
        'url = "https://almadar.example/n/48213"\nsite = "المدار"\n',
        encoding="utf-8",
    )
    article = read_article(path)
    assert (article.title, article.published, article.origin, article.url, article.site) == (
        "سيول مأدبا", dt.date(2024, 1, 13), "أرشيف المدار", "https://almadar.example/n/48213",
        "المدار",
    )  # fmt: skip


def test_a_link_that_is_not_a_web_address_is_never_kept(tmp_path: Path) -> None:
    path = tmp_path / "evil.html"
    head = '<link rel="canonical" href="javascript:alert(1)">'
    path.write_text(page(f"<p>{PARAGRAPH}</p>", head), encoding="utf-8")
    assert read_article(path).url is None


def test_a_sidecar_url_that_is_not_a_web_address_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "x.html"
    path.write_text(page(f"<p>{PARAGRAPH}</p>"), encoding="utf-8")
    path.with_suffix(".toml").write_text('url = "file:///etc/passwd"\n', encoding="utf-8")
    article = read_article(path)
    assert article.url is None
    assert any("url ignored" in w for w in article.warnings)


def test_a_page_without_a_date_says_which_sidecar_to_write(tmp_path: Path) -> None:
    path = tmp_path / "undated.html"
    path.write_text(page(f"<p>{PARAGRAPH}</p>"), encoding="utf-8")
    [warning] = read_article(path).warnings
    assert "undated.html" in warning
    assert "published = YYYY-MM-DD" in warning


# ---- pages without an article ---------------------------------------------------------------

EMPTY_PAGES = {
    "empty": "",
    "navigation only": "<html><body><nav><ul><li><a href='/'>الرئيسية</a></li>"
    "<li><a href='/sport'>رياضة</a></li></ul></nav>"
    "<footer>جميع الحقوق محفوظة</footer></body></html>",
    "a bare url": "https://akhbar.example/2021/07/19/eid-prayers/",
    "binary": "\x00\x01\x02\x89PNG\r\n",
    # cut off inside an element whose text is no page: the parser makes it the whole tree
    "a script and no page": "<body><script><html>",
    "a style and no page": "<body><style><html>",
    "a template and no page": "<body><template><html>",
}


@pytest.mark.parametrize("content", EMPTY_PAGES.values(), ids=EMPTY_PAGES.keys())
def test_a_page_without_article_text_is_skipped_naming_it(tmp_path: Path, content: str) -> None:
    path = tmp_path / "nothing.html"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EmptyArticle) as caught:
        read_article(path)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_the_build_goes_on_past_a_page_without_text(tmp_path: Path) -> None:
    (tmp_path / "menu.html").write_text(EMPTY_PAGES["navigation only"], encoding="utf-8")
    (tmp_path / "news.html").write_bytes((PAGES / "sanaa-prices.html").read_bytes())
    warnings: list[str] = []
    engine = Engine.build([tmp_path], warnings=warnings)
    assert ([a.id for a in engine.articles], [w for w in warnings if "menu.html" in w]) == (
        ["news"], [f"{tmp_path / 'menu.html'}: skipped, no article text found in the page"]
    )  # fmt: skip


def test_reading_pages_never_touches_the_network(monkeypatch, tmp_path: Path) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    (tmp_path / "url.html").write_text(EMPTY_PAGES["a bare url"], encoding="utf-8")
    for name in NAMES:
        read_article(PAGES / name)
    with pytest.raises(EmptyArticle):
        read_article(tmp_path / "url.html")


# ---- folders of saved pages -----------------------------------------------------------------


def test_a_folder_gives_pages_markdown_and_text_but_not_what_a_browser_saved_beside_them(
    tmp_path: Path,
) -> None:
    for name in ("a.html", "b.htm", "c.md", "d.txt", "e.HTML", "page_files/ad.html",
                 "page.html", ".hidden.html", "notes.toml", "style.css"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    ids = [article_id for _, article_id in find_articles([tmp_path])]
    assert ids == ["a", "b", "c", "d", "e", "page"]


def test_an_index_of_pages_answers_with_the_page_as_source(tmp_path: Path) -> None:
    engine = Engine.build([PAGES])
    hit = engine.ask("متى انطلق مهرجان بريدة للتمور؟").hits[0]
    assert (hit.passage.source.title, hit.passage.source.url) == (
        EXPECTED["buraydah-dates-amp.html"].title, EXPECTED["buraydah-dates-amp.html"].url
    )  # fmt: skip


def test_url_and_site_survive_the_index_file(tmp_path: Path) -> None:
    Engine.build([PAGES / "madaba-floods.html"]).save(tmp_path / "x.khabar")
    source = Engine.open(tmp_path / "x.khabar").passages[0].source
    assert (source.url, source.site) == (EXPECTED["madaba-floods.html"].url, "المدار نيوز")


def test_the_json_contract_keeps_its_source_fields(tmp_path: Path) -> None:
    from khabar.bot.replies import answer_json

    engine = Engine.build([PAGES / "madaba-floods.html"])
    result = answer_json(engine.ask("سيول مأدبا"))["results"][0]
    assert sorted(result["source"]) == ["paragraph", "published", "title"]


# ---- the Telegram reply links the title to the page -----------------------------------------


def test_the_telegram_citation_links_the_title_to_the_page() -> None:
    from support.botapi import check_text

    from khabar.bot import html as tg

    passage = chunk(read_article(PAGES / "madaba-floods.html"))[0]
    block = tg.passage_html(passage)
    check_text(block, "HTML")  # Telegram would accept it
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', block)
    assert links == [(EXPECTED["madaba-floods.html"].url, EXPECTED["madaba-floods.html"].title)]


def test_a_url_is_escaped_inside_the_link() -> None:
    from support.botapi import check_text

    from khabar.bot import html as tg
    from khabar.index.models import Citation, Passage

    source = Citation(article="a", title="خبر", paragraph=1, url='https://x.example/?a=1&b="2"')
    block = tg.passage_html(Passage(id="a-p1", text="نص", source=source))
    check_text(block, "HTML")
    assert 'href="https://x.example/?a=1&amp;b=&quot;2&quot;"' in block


def test_a_citation_without_url_has_no_link() -> None:
    from khabar.bot import html as tg

    passage = chunk(read_article(PAGES / "tunis-bac-1256.html"))[0]
    assert "<a " not in tg.passage_html(passage)


def test_the_running_bot_links_the_title_to_the_page(botapi, tmp_path: Path) -> None:
    """`khabar telegram` as deployed, serving an index of saved pages."""
    import subprocess

    from support.botapi import TOKEN
    from support.processes import ROOT, BotProcess, khabar_command, process_env

    index = tmp_path / "pages.khabar"
    built = subprocess.run(
        [*khabar_command(), "index", "build", str(PAGES), "--out", str(index)], cwd=ROOT,
        env=process_env(), capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    env = process_env(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=botapi.base_url, KHABAR_INDEX=str(index)
    )
    bot = BotProcess(env, tmp_path)
    try:
        botapi.message(71, "كم بلاغاً تعامل معه الدفاع المدني في مأدبا؟")
        [reply, *_] = botapi.wait_sync(lambda: botapi.sent(71), timeout=30)
    finally:
        assert bot.stop() == 0, bot.stderr()
    expected = EXPECTED["madaba-floods.html"]
    assert f'<a href="{expected.url}">{expected.title}</a>' in reply.params["text"]


def test_build_warnings_are_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "menu.html").write_text(EMPTY_PAGES["navigation only"], encoding="utf-8")
    (tmp_path / "undated.html").write_text(page(f"<p>{PARAGRAPH}</p>"), encoding="utf-8")
    warnings: list[str] = []
    Engine.build([tmp_path], warnings=warnings)
    assert len(warnings) == 2, json.dumps(warnings)
    assert all("\n" not in w for w in warnings), json.dumps(warnings)


# ---- any page at all ------------------------------------------------------------------------

PIECES = st.sampled_from([
    "<html>", "<body>", "<p>", "</p>", "<h2>", "</h2>", "<title>", "</title>", "<br>",
    "<a href='/x'>",
    "</a>", "<div class='related'>", "</div>", "<table><tr><td>", "</td></tr></table>", "<amp-ad>",
    "<strong>", "</strong>", "<script>", "</script>", "<meta charset='windows-1256'>",
    "<meta charset='no-such-codec'>", "<!-- saved from url=(0010)javascript:x -->",
    "<link rel='canonical' href='https://x.example/2020/01/02/a'>",
    "<meta property='article:published_time' content='2099-99-99'>",
    '<script type="application/ld+json">{"datePublished": "', '"}</script>',
    "<?xml version='1.0' encoding='utf-8'?>", "&amp;", "&#0;", "\x00", "\u200f", "اقرأ أيضاً",
    "إعلان", "في 6 ديسمبر، ", "خبر عاجل عن حلب. ",
])  # fmt: skip
ANY_PAGE = st.lists(PIECES | st.text(max_size=20), max_size=60).map("".join)
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(ANY_PAGE, st.sampled_from(["utf-8", "cp1256", "utf-16"]))
def test_any_page_is_an_article_or_one_line_refusal(tmp_path_factory, text: str, encoding: str):
    path = tmp_path_factory.mktemp("page") / "any.html"
    path.write_bytes(text.encode(encoding, errors="replace"))
    try:
        article = read_article(path)
    except CorpusError as exc:
        assert "\n" not in str(exc)
        return
    assert article.title.strip()
    assert all(block.text.strip() for block in article.blocks)


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes_are_an_article_or_one_line_refusal(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("page") / "any.html"
    path.write_bytes(data)
    try:
        read_article(path)
    except CorpusError as exc:
        assert "\n" not in str(exc)


def test_a_page_and_a_text_of_the_same_name_are_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "news.html").write_bytes((PAGES / "sanaa-prices.html").read_bytes())
    (tmp_path / "news.txt").write_text("عنوان\nفقرة.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="same article id 'news'"):
        Engine.build([tmp_path])


def test_a_data_table_is_one_paragraph_a_row_each_value_with_its_column(tmp_path: Path) -> None:
    path = tmp_path / "results.html"
    lead = "أعلنت الهيئة العليا للانتخابات مساء الأحد النتائج الأولية للانتخابات البلدية كاملة."
    table = (
        "<table><tr><th>القائمة</th><th>المقاعد</th></tr>"
        "<tr><td>المستقلون</td><td>2100</td></tr><tr><td>حركة النهضة</td><td>1500</td></tr></table>"
    )
    path.write_text(page(f"<h1>نتائج الانتخابات</h1><p>{lead}</p>{table}"), encoding="utf-8")
    assert [block.text for block in read_article(path).blocks] == [
        lead, "القائمة: المستقلون، المقاعد: 2100", "القائمة: حركة النهضة، المقاعد: 1500"
    ]  # fmt: skip


def test_khabar_index_build_warns_in_one_line_and_builds_the_rest(tmp_path: Path) -> None:
    from test_cli import khabar, no_traceback

    (tmp_path / "menu.html").write_text(EMPTY_PAGES["navigation only"], encoding="utf-8")
    (tmp_path / "news.html").write_bytes((PAGES / "sanaa-prices.html").read_bytes())
    result = khabar("index", "build", str(tmp_path), "--out", str(tmp_path / "x.khabar"))
    no_traceback(result)
    skipped = f"{tmp_path / 'menu.html'}: skipped, no article text found in the page"
    assert (result.returncode, result.stderr.splitlines()) == (0, [f"khabar: warning: {skipped}"])


def test_a_page_that_is_only_an_ad_label_is_no_article() -> None:
    """Found by hypothesis: the root element itself read as an ad label."""
    from khabar.index.webpage import read_page

    assert read_page("<html>إعلان".encode()) is None


def test_a_read_also_line_without_a_link_is_no_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "teaser.html"
    body = f"<p>{PARAGRAPH}</p><p>اقرأ أيضاً: أمطار غزيرة في عمان</p><p>{PARAGRAPH} وأكثر.</p>"
    path.write_text(page(body), encoding="utf-8")
    assert all("اقرأ" not in block.text for block in read_article(path).blocks)


def test_a_paragraph_opening_with_read_also_and_going_on_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "kept.html"
    long = "اقرأ أيضاً ما قاله الوزير في مؤتمره الصحفي، إذ أكد أن الامتحانات ستجرى في موعدها " * 2
    path.write_text(page(f"<p>{PARAGRAPH}</p><p>{long}</p>"), encoding="utf-8")
    assert any("الوزير" in block.text for block in read_article(path).blocks)
