"""The `khabar` command as a person and a script use it: real processes, real exit codes."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def khabar(
    *args: str, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "khabar.bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


def test_ask_prints_the_dated_passage_with_its_citation() -> None:
    result = khabar("ask", "متى سقط حي مساكن هنانو؟")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("في 26 نوفمبر 2016")
    assert "تمكن النظام من السيطرة على حي مساكن هنانو" in result.stdout
    assert "الفقرة 5" in result.stdout


def test_ask_json_reads_stdin_one_question_per_line() -> None:
    result = khabar("ask", "--json", stdin="متى سقط حي مساكن هنانو؟\nكم سعر الذهب؟\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["query"] for r in rows] == ["متى سقط حي مساكن هنانو؟", "كم سعر الذهب؟"]
    assert rows[0]["results"][0]["source"]["paragraph"] == 5
    assert rows[1]["results"] == []
    assert rows[1]["reply"]


def test_top_k_limits_a_dates_answer() -> None:
    result = khabar("ask", "--json", "--top-k", "2", "ماذا حدث في ديسمبر؟")
    assert len(json.loads(result.stdout)["results"]) == 2


def test_top_k_limits_topic_answers() -> None:
    result = khabar("ask", "--json", "--top-k", "1", "حلب")
    assert len(json.loads(result.stdout)["results"]) == 1
    bad = khabar("ask", "--top-k", "0", "حلب")
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "question",
    [
        "",
        "   \t ",
        "😀🔥🙏",
        "\x00\x07\x1b[31mحلب\x1b[0m",
        "<b>حلب</b> &amp; [link](http://x) *bold* `code`",
        "حلب " * 25_000,  # 100 KB
    ],
    ids=["empty", "blank", "emoji", "control", "markup", "huge"],
)
def test_bad_input_gets_a_reply_not_a_traceback(question: str) -> None:
    # stdin carries what argv cannot (NUL bytes, 100 KB); one line in, one JSON line out.
    result = khabar("ask", "--json", stdin=question.replace("\n", " ") + "\n")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["reply"]
    assert "\x1b" not in data["reply"]
    if "\x00" not in question and len(question) < 1000:
        assert khabar("ask", "--json", question).returncode == 0


def test_index_build_then_ask_with_it(tmp_path: Path) -> None:
    out = tmp_path / "aleppo.khabar"
    built = khabar("index", "build", "seeds", "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert "18 dated events" in built.stdout
    asked = khabar("ask", "--json", "--index", str(out), "متى سقط حي مساكن هنانو؟")
    assert json.loads(asked.stdout)["results"][0]["source"]["paragraph"] == 5


def test_index_build_names_the_article_without_published(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("عنوان\nفي 6 ديسمبر، حدث ما حدث.\n", encoding="utf-8")
    built = khabar("index", "build", str(tmp_path), "--out", str(tmp_path / "x.khabar"))
    assert built.returncode == 0
    assert "x.txt" in built.stderr
    assert "published" in built.stderr
    asked = khabar("ask", "--json", "--index", str(tmp_path / "x.khabar"), "ماذا حدث في 6 ديسمبر")
    assert json.loads(asked.stdout)["results"][0]["date"] == "--12-06"


@pytest.mark.parametrize("content", [None, b"", b"not an index at all", b"PK\x03\x04broken"])
def test_missing_or_corrupt_index_is_one_clear_line(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "bad.khabar"
    if content is not None:
        path.write_bytes(content)
    result = khabar("ask", "--index", str(path), "حلب")
    no_traceback(result)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(path) in result.stderr


def test_a_damaged_passage_text_found_when_asked_is_one_clear_line(tmp_path: Path) -> None:
    paragraphs = ["في 6 ديسمبر، قصفت الطائرات المستشفى.", "وصلت المساعدات.", "عاد الهدوء."]
    (tmp_path / "x.txt").write_text("\n".join(["عنوان", *paragraphs]), "utf-8")
    index = tmp_path / "x.khabar"
    assert khabar("index", "build", str(tmp_path), "--out", str(index)).returncode == 0
    data = bytearray(index.read_bytes())
    data[data.index("المستشفى".encode()) + 1] = 0xFF  # not UTF-8 any more
    index.write_bytes(bytes(data))
    result = khabar("ask", "--index", str(index), "المستشفى")
    no_traceback(result)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"{index}: corrupt khabar index" in result.stderr


def test_a_build_by_worker_processes_ends_without_a_traceback(tmp_path: Path) -> None:
    from khabar.index.search import PARALLEL_FROM

    for n in range(PARALLEL_FROM + 2):
        (tmp_path / f"a{n:03d}.txt").write_text(f"تقرير {n}\nفي 6 ديسمبر، حدث {n}.\n", "utf-8")
    result = khabar("index", "build", str(tmp_path), "--out", str(tmp_path / "x.khabar"))
    no_traceback(result)
    assert result.returncode == 0


def test_build_of_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    result = khabar("index", "build", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    no_traceback(result)
    assert result.returncode == 1
    assert "nope" in result.stderr


@pytest.mark.parametrize("ending", ["", "خروج\nحلب\n", "exit\n"])
def test_console_answers_and_exits_cleanly(ending: str) -> None:
    result = khabar("console", stdin="متى سقط حي مساكن هنانو؟\n" + ending)
    no_traceback(result)
    assert result.returncode == 0
    assert result.stdout.count("¶ 5") >= 1
    assert result.stdout.count("[1] ") == 1  # the "حلب" after خروج is never answered


def test_timeline_lists_every_event_in_date_order() -> None:
    result = khabar("timeline")
    assert result.returncode == 0
    assert result.stdout.count("المصدر:") == 18
    assert result.stdout.index("15 نوفمبر 2016") < result.stdout.index("15 ديسمبر 2016")


def test_unknown_command_is_a_usage_error() -> None:
    result = khabar("fly")
    assert result.returncode == 2
    no_traceback(result)


def test_index_build_says_how_each_article_was_dated(tmp_path: Path) -> None:
    built = khabar("index", "build", "seeds", "bot/gold/articles", "--out", str(tmp_path / "x.idx"))
    assert "sudan-floods: 2 explicit, 2 dateline, 3 weekday, 2 deictic, 2 relative" in built.stdout


def test_index_build_counts_the_undated_paragraphs(tmp_path: Path) -> None:
    built = khabar("index", "build", "seeds", "--out", str(tmp_path / "x.idx"))
    assert (
        "aleppo-2016: 9 explicit, 1 relative, 1 approximate, 7 inherited, 2 undated" in built.stdout
    )


def test_timeline_says_how_many_undated_paragraphs_it_leaves_out() -> None:
    assert (
        khabar("timeline")
        .stdout.rstrip()
        .endswith("(فقرتان دون تاريخ خارج الخط الزمني، وتجيب عن الأسئلة كغيرها.)")
    )


def test_more_results_agree_in_number() -> None:
    assert khabar("ask", "حلب").stdout.rstrip().endswith("… و17 نتيجة أخرى.")


def test_yesterday_is_the_machines_yesterday() -> None:
    """The bundled article has no events yesterday: the reply names the day and the nearest."""
    result = khabar("ask", "--json", "ماذا حدث أمس؟")
    assert result.returncode == 0, result.stderr
    days = json.loads(result.stdout)["dates"]
    before = dt.date.today() - dt.timedelta(days=1)
    assert days[0] in {before.isoformat(), (before - dt.timedelta(days=1)).isoformat()}


def test_the_build_summary_counts_one_event_in_the_singular(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("عنوان\nفي 6 ديسمبر، حدث ما حدث.\n", "utf-8")
    (tmp_path / "one.toml").write_text("published = 2016-12-15\n", "utf-8")
    built = khabar("index", "build", str(tmp_path), "--out", str(tmp_path / "x.khabar"))
    assert "1 passage (1 dated event, 0 undated)" in built.stdout
