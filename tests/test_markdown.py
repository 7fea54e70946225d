"""Markdown articles: ``#`` title, ``##`` headings, blank-line paragraphs, TOML front matter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from khabar.index.chunker import chunk
from khabar.index.corpus import EmptyArticle, RawArticle, read_article
from khabar.index.search import Engine

ARTICLE = """\
+++
published = 2023-02-08
source = "وكالة الأنباء المحلية"
+++

# زلزال يضرب جنوب تركيا وشمال سوريا

ضرب زلزال بقوة 7.8 درجات فجر الاثنين جنوب تركيا وشمال سوريا،
وشعر به سكان لبنان وقبرص والعراق، فيما تواصلت الهزات الارتدادية
طوال اليوم.

وفي 7 فبراير، أعلنت السلطات التركية الحداد الوطني سبعة أيام، وطلبت
دعماً دولياً لعمليات البحث والإنقاذ.

## فرق الإنقاذ

قالت **فرق الدفاع المدني** إن البحث تحت الأنقاض يتواصل في [حلب](https://example.org/aleppo)
وإدلب واللاذقية، رغم البرد الشديد.

![فرق الإنقاذ في جنديرس](rescue.jpg)

- وصلت طائرات مساعدات من عدة دول عربية.
- فُتحت المدارس والمساجد لإيواء العائلات.

> «نعمل على مدار الساعة» — متطوع في جنديرس.
"""

PARAGRAPHS = [
    "ضرب زلزال بقوة 7.8 درجات فجر الاثنين جنوب تركيا وشمال سوريا، وشعر به سكان لبنان وقبرص "
    "والعراق، فيما تواصلت الهزات الارتدادية طوال اليوم.",
    "وفي 7 فبراير، أعلنت السلطات التركية الحداد الوطني سبعة أيام، وطلبت دعماً دولياً لعمليات "
    "البحث والإنقاذ.",
    "قالت فرق الدفاع المدني إن البحث تحت الأنقاض يتواصل في حلب وإدلب واللاذقية، رغم البرد الشديد.",
    "وصلت طائرات مساعدات من عدة دول عربية.",
    "فُتحت المدارس والمساجد لإيواء العائلات.",
    "«نعمل على مدار الساعة» — متطوع في جنديرس.",
]


def write(folder: Path, text: str, name: str = "quake.md") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def article(tmp_path: Path) -> RawArticle:
    return read_article(write(tmp_path, ARTICLE))


def test_the_hash_line_is_the_title(article: RawArticle) -> None:
    assert article.title == "زلزال يضرب جنوب تركيا وشمال سوريا"


def test_front_matter_gives_the_published_date(article: RawArticle) -> None:
    assert article.published == dt.date(2023, 2, 8)


def test_front_matter_gives_the_source(article: RawArticle) -> None:
    assert article.origin == "وكالة الأنباء المحلية"


def test_wrapped_lines_join_into_paragraphs_in_order(article: RawArticle) -> None:
    assert [p.text for p in chunk(article)] == PARAGRAPHS


def test_double_hash_lines_head_their_sections(article: RawArticle) -> None:
    assert [p.heading for p in chunk(article)] == [None, None] + ["فرق الإنقاذ"] * 4


def test_event_dates_take_the_front_matter_year(article: RawArticle) -> None:
    assert chunk(article)[1].date == "2023-02-07"


def test_the_image_is_not_text(article: RawArticle) -> None:
    assert not any("جنديرس" in p.text and "فرق الإنقاذ في" in p.text for p in chunk(article))


def test_no_warning_when_front_matter_says_it_all(article: RawArticle) -> None:
    assert article.warnings == ()


def test_front_matter_title_overrides_the_hash_line(tmp_path: Path) -> None:
    text = ARTICLE.replace(
        "published = 2023-02-08", 'published = 2023-02-08\ntitle = "زلزال 6 فبراير"'
    )
    assert read_article(write(tmp_path, text)).title == "زلزال 6 فبراير"


def test_a_sidecar_overrides_the_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, ARTICLE)
    path.with_suffix(".toml").write_text("published = 2023-02-09\n", encoding="utf-8")
    assert read_article(path).published == dt.date(2023, 2, 9)


def test_without_front_matter_the_missing_date_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "# عنوان\n\nفي 6 فبراير، ضرب الزلزال.\n")
    [warning] = read_article(path).warnings
    assert "quake.md" in warning
    assert "published" in warning


def test_bad_front_matter_is_one_warning_and_the_text_is_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "+++\npublished = يوم الاثنين\n+++\n# عنوان\n\nفقرة أولى.\n")
    article = read_article(path)
    assert (article.title, [b.text for b in article.blocks]) == ("عنوان", ["فقرة أولى."])
    assert any("front matter ignored" in w and "\n" not in w for w in article.warnings)


def test_yaml_front_matter_is_named_not_indexed(tmp_path: Path) -> None:
    path = write(tmp_path, "---\ntitle: عنوان\ndate: 2023-02-08\n---\n# عنوان\n\nفقرة أولى.\n")
    article = read_article(path)
    assert [b.text for b in article.blocks] == ["فقرة أولى."]
    assert any("YAML front matter ignored" in w for w in article.warnings)


def test_a_bold_line_may_be_a_subheading(tmp_path: Path) -> None:
    path = write(tmp_path, "# عنوان\n\n**ردود فعل**\n\nرحبت الدول العربية بالاتفاق.\n")
    assert [(p.heading, p.text) for p in chunk(read_article(path))] == [
        ("ردود فعل", "رحبت الدول العربية بالاتفاق.")
    ]


def test_an_empty_markdown_file_is_skipped(tmp_path: Path) -> None:
    with pytest.raises(EmptyArticle):
        read_article(write(tmp_path, "+++\npublished = 2023-02-08\n+++\n\n"))


def test_a_folder_of_markdown_is_indexed_and_answers(tmp_path: Path) -> None:
    write(tmp_path, ARTICLE)
    engine = Engine.build([tmp_path])
    hit = engine.ask("متى أعلنت تركيا الحداد الوطني؟").hits[0]
    assert (hit.passage.id, hit.passage.date) == ("quake-p2", "2023-02-07")


@pytest.mark.parametrize("written", ['"2023-02-09"', "'2023-02-09'", '"2023-02-09T08:30:00"'])
def test_a_sidecar_date_written_as_a_string_is_read(tmp_path: Path, written: str) -> None:
    path = write(tmp_path, ARTICLE)
    path.with_suffix(".toml").write_text(f"published = {written}\n", encoding="utf-8")
    assert read_article(path).published == dt.date(2023, 2, 9)


def test_a_sidecar_string_that_is_no_date_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, ARTICLE)
    path.with_suffix(".toml").write_text('published = "9 فبراير"\n', encoding="utf-8")
    assert any("published must be a date" in w for w in read_article(path).warnings)


def test_a_sidecar_value_that_is_not_text_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("عنوان\nفي 6 فبراير، ضرب الزلزال.\n", encoding="utf-8")
    path.with_suffix(".toml").write_text('source = ["أ", "ب"]\n', encoding="utf-8")
    article = read_article(path)
    assert (article.origin, any("source ignored" in w for w in article.warnings)) == (None, True)


def test_a_front_matter_never_closed_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "+++\npublished = 2023-02-08\n\n# زلزال\n\nفي 6 فبراير، ضرب الزلزال.\n")
    assert any("front matter never closed" in w for w in read_article(path).warnings)


def test_a_sidecar_names_example_questions(tmp_path: Path) -> None:
    path = tmp_path / "quake.txt"
    path.write_text("عنوان\nفي 6 فبراير، ضرب الزلزال.\n", encoding="utf-8")
    path.with_suffix(".toml").write_text('examples = ["متى ضرب الزلزال؟"]\n', encoding="utf-8")
    assert read_article(path).examples == ("متى ضرب الزلزال؟",)


def test_sidecar_examples_that_are_not_questions_in_quotes_are_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "quake.txt"
    path.write_text("عنوان\nفي 6 فبراير، ضرب الزلزال.\n", encoding="utf-8")
    path.with_suffix(".toml").write_text('examples = "متى ضرب الزلزال؟"\n', encoding="utf-8")
    article = read_article(path)
    assert (article.examples, any("examples ignored" in w for w in article.warnings)) == ((), True)


def test_front_matter_examples_that_are_not_questions_in_quotes_are_a_warning(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, '+++\nexamples = "متى؟"\n+++\n\n# زلزال\n\nفي 6 فبراير، ضرب الزلزال.\n')
    article = read_article(path)
    assert (article.examples, any("examples ignored" in w for w in article.warnings)) == ((), True)
