"""The console as a person uses it: in a real terminal (tmux), keys in, screen out.

Plus what a terminal cannot show a test: how a bidi terminal lays the lines out (python-bidi
runs the Unicode bidi algorithm, as such terminals do), and the plain text pipes get.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bidi import get_display
from rich.console import Console
from support.processes import ROOT, khabar_command, process_env
from tmux_terminal import BIDI_MARKS, SGR, Terminal

from khabar.bot.console import THEME, ConsoleSession, Screen, paragraphs_line
from khabar.bot.live import LiveIndex
from khabar.bot.terminal import bidi_line

HANANO = "متى سقط حي مساكن هنانو؟"
HANANO_TEXT = "تمكن النظام من السيطرة على حي مساكن"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator:
    """``terminal(*args, env=..., width=...)``: `khabar console ARGS` in its own tmux."""
    opened: list[Terminal] = []

    def start(*args: str, env: dict[str, str] | None = None, width: int = 100) -> Terminal:
        term = Terminal([*khabar_command(), "console", *args], tmp_path, env=env, width=width)
        opened.append(term)
        term.wait_for_prompt(1)
        return term

    yield start
    for term in opened:
        term.close()


# ---- in a terminal -------------------------------------------------------------------------


def params(code: str) -> list[int]:
    return [int(p) for p in code[2:-1].replace(":", ";").split(";") if p]


def sgr_before(screen: str, word: str) -> set[int]:
    """The SGR parameters set by the escape codes right before ``word`` (after the last reset)."""
    at = screen.index(word)
    codes = re.search(r"(?:\x1b\[[0-9;:]*m)*$", screen[:at])
    found: set[int] = set()
    for code in SGR.findall(codes.group() if codes else ""):
        values = params(code) or [0]
        if 0 in values:
            found.clear()
        found.update(v for v in values if v)
    return found


def test_answer_bolds_the_matched_words_and_names_the_source_once(terminal) -> None:
    term = terminal()
    term.ask(HANANO)
    screen = term.wait_for(lambda s: s.count("سؤالك>") == 2)
    assert HANANO_TEXT in screen
    assert "¶ 5" in screen
    assert screen.count("المصدر:") == 1
    passage = term.screen(escapes=True).split("[\u20661\u2069]")[1]
    assert 1 in sgr_before(passage, "هنانو")  # the matched word is drawn bold
    assert 1 not in sgr_before(passage, "النظام")  # a word the question does not have is not


def test_ctrl_c_clears_a_half_typed_line_and_the_console_goes_on(terminal) -> None:
    term = terminal()
    term.type("كلام لم يكتمل")
    term.wait_for("كلام لم يكتمل")
    term.press("C-c")
    term.ask(HANANO)
    screen = term.wait_for(HANANO_TEXT)
    assert term.alive()
    assert "كلام لم يكتمل" + HANANO not in screen  # the half line was not sent with it
    assert "لا يتناول" not in screen  # nor answered on its own


def test_ctrl_c_on_an_empty_line_says_how_to_leave(terminal) -> None:
    term = terminal()
    term.press("C-c")
    term.wait_for("للخروج: خروج أو Ctrl-D)")
    assert term.alive()


@pytest.mark.parametrize("keys", [["C-d"], ["خروج", "Enter"], ["exit", "Enter"]])
def test_ctrl_d_or_kharuj_leaves(terminal, keys: list[str]) -> None:
    term = terminal()
    for key in keys:
        term.press(key) if key in ("C-d", "Enter") else term.type(key)
    assert term.exit_status() == 0


def pages_of(question: str, top_k: int) -> list[str]:
    """The "more" line after each page, as the engine's total makes it (the last has none)."""
    from khabar.bot.replies import OTHER_RESULTS, count_label
    from khabar.index.search import Engine

    total = Engine.open(None).ask(question).total
    assert total > 2 * top_k, "the question must need three pages"
    return [count_label(total - shown, OTHER_RESULTS) for shown in range(top_k, total, top_k)]


def test_sigterm_at_the_prompt_ends_the_console(terminal) -> None:
    term = terminal()
    os.kill(term.command_pid(), signal.SIGTERM)
    assert term.exit_status() == 128 + signal.SIGTERM
    assert "Traceback" not in term.screen()


def test_closing_the_terminal_ends_the_console(terminal) -> None:
    """SIGHUP with the terminal gone: the process ends instead of waiting forever, orphaned."""
    term = terminal()
    pid = term.command_pid()
    term.close()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid):
        assert time.monotonic() < deadline, "the console outlived its terminal"
        time.sleep(0.05)


@pytest.mark.soak
def test_closing_busy_terminals_under_load_orphans_nothing(tmp_path: Path) -> None:
    """Terminals closed right after an answer while both cores are busy (once left one in 15)."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    pids = []
    try:
        for _ in range(40):
            term = Terminal([*khabar_command(), "console", "--top-k", "1"], tmp_path)
            term.wait_for_prompt(1)
            term.ask(HANANO)
            term.wait_for_prompt(2)
            term.press("Up")
            term.press("Enter")
            term.wait_for_prompt(3)
            pids.append(term.command_pid())
            term.close()
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    time.sleep(3)
    orphans = [pid for pid in pids if Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)]
    for pid in orphans:
        os.kill(pid, signal.SIGKILL)
    print(f"\nclosed {len(pids)} terminals under load: {len(orphans)} console(s) left running")
    assert orphans == []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0]
    except (OSError, IndexError):
        return "zombie"


def test_enter_and_more_page_through_the_results(terminal) -> None:
    top_k = 7
    more = pages_of("حلب", top_k)
    term = terminal("--top-k", str(top_k))
    term.ask("حلب")
    first = term.wait_for_prompt(2)
    assert f"[{top_k}]" in first
    assert f"[{top_k + 1}]" not in first
    assert more[0] in first
    term.press("Enter")
    second = term.wait_for_prompt(3)
    assert f"[{top_k + 1}]" in second
    assert f"[{2 * top_k + 1}]" not in second
    assert more[1] in second
    term.ask("المزيد")
    third = term.wait_for_prompt(4)
    assert f"[{2 * top_k + 1}]" in third
    term.ask("more")
    last = term.wait_for_prompt(5)
    assert "لا مزيد من النتائج" in last
    assert last.count("اكتب «المزيد» أو اضغط Enter") == len(more)


def test_help_says_what_can_be_asked(terminal) -> None:
    term = terminal()
    for shown, word in enumerate(["مساعدة", "help", "?"], start=2):
        term.ask(word)
        screen = term.wait_for_prompt(shown)
        for command in ("/date", "/timeline", "/source", "المزيد", "Ctrl-D"):
            assert screen.count(command) >= shown - 1, (word, command)
        assert screen.count("من استخدم الفيتو في مجلس الأمن؟") == shown - 1, word


def test_arrow_up_recalls_the_last_question(terminal) -> None:
    term = terminal("--top-k", "1")
    term.ask(HANANO)
    term.wait_for_prompt(2)
    term.press("Up")
    term.press("Enter")
    screen = term.wait_for_prompt(3)
    assert screen.count(HANANO_TEXT) == 2


def test_words_are_wrapped_whole_at_the_terminal_edge(terminal) -> None:
    term = terminal(width=44)
    term.ask(HANANO)
    screen = term.wait_for_prompt(2)
    lines = screen.splitlines()
    assert all(len(line) <= 44 for line in lines)
    words = set(" ".join(lines).split())
    passage = (
        "في 26 نوفمبر/ تشرين الثاني، تمكن النظام من السيطرة على حي مساكن هنانو الأكبر في شرق "
        "حلب، والذي كان الأول الذي سيطر عليه مقاتلو المعارضة في صيف 2012، ما أدى إلى انقسام "
        "المدينة إلى شطرين."
    )
    broken = [word for word in passage.split() if word not in words]
    assert broken == []


def test_no_color_keeps_bold_but_drops_colour(terminal) -> None:
    term = terminal(env={"NO_COLOR": "1"})
    term.ask(HANANO)
    term.wait_for_prompt(2)
    screen = term.screen(escapes=True)
    passage = screen.split("[\u20661\u2069]")[1]
    assert 1 in sgr_before(passage, "هنانو")  # still bold
    used = {code for match in SGR.finditer(screen) for code in params(match.group())}
    colours = used & {*range(30, 38), 38, *range(90, 98)}
    assert colours == set()


def test_banner_counts_the_articles_and_names_only_a_few(terminal, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n in range(5):
        (folder / f"a{n}.txt").write_text(
            f"عنوان المقال رقم {n}\nفي {n + 1} ديسمبر، حدث ما حدث.\n", encoding="utf-8"
        )
        (folder / f"a{n}.toml").write_text("published = 2016-12-15\n", encoding="utf-8")
    index = tmp_path / "five.idx"
    built = subprocess.run(
        [*khabar_command(), "index", "build", str(folder), "--out", str(index)],
        capture_output=True, env=process_env(), timeout=60,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    term = terminal("--index", str(index))
    banner = term.screen()
    assert "في الفهرس 5 مقالات" in banner
    assert "عنوان المقال رقم 0" in banner
    assert "عنوان المقال رقم 4" not in banner
    assert "مقالان آخران" in banner


def test_top_k_0_is_refused_like_ask() -> None:
    result = subprocess.run(
        [*khabar_command(), "console", "--top-k", "0"], capture_output=True, text=True,
        encoding="utf-8", env=process_env(), timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


# ---- how a bidi terminal lays it out ------------------------------------------------------------


def rendered(run, width: int = 70) -> list[str]:
    """The console's screen lines, as a terminal receives them, SGR codes removed."""

    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=True, color_system=None, theme=THEME)
    session = ConsoleSession(LiveIndex(None), 3, Screen(True, console), True)
    run(session)
    return [SGR.sub("", line) for line in out.getvalue().splitlines() if line.strip()]


def visual(line: str, base: str) -> str:
    """The line as a bidi terminal shows it, left to right, with a paragraph of ``base``."""
    return BIDI_MARKS.sub("", get_display(line, base_dir=base))


def test_every_line_reads_the_same_whatever_direction_the_terminal_guesses() -> None:
    lines = rendered(lambda s: (s.ask(HANANO), s.ask("حلب"), s.source(0), s.timeline(0)))
    lines += rendered(lambda s: s.screen.show([*s.help_blocks(), *s.banner()]))
    assert len(lines) > 40
    differ = [line for line in lines if visual(line, "L") != visual(line, "R")]
    assert differ == []


def test_the_passage_number_stays_beside_its_date() -> None:
    head = next(line for line in rendered(lambda s: s.ask(HANANO)) if "[" in line)
    # shown right to left: "[1]" at the right end, the day "26" just left of it, then the month
    assert visual(head, "L").endswith("ربمفون 26 ]1[")


def test_without_the_marks_a_left_to_right_terminal_scatters_the_date() -> None:
    """The control: the same line unmarked, in a terminal that takes lines as LTR."""
    head = next(line for line in rendered(lambda s: s.ask(HANANO)) if "[" in line)
    assert not visual(BIDI_MARKS.sub("", head), "L").endswith("ربمفون 26 ]1[")


def test_marks_take_no_room_and_hide_nothing() -> None:
    from rich.cells import cell_len

    lines = rendered(lambda s: s.ask("حلب"), width=60)
    assert all(cell_len(line) <= 60 for line in lines)
    assert any("حلب" in BIDI_MARKS.sub("", line) for line in lines)


def test_latin_runs_and_titles_are_isolated() -> None:
    from rich.text import Text

    line = bidi_line(Text("تقرير Reuters News في 2016-12-06 عن --12-06"))
    assert "\u2066Reuters News\u2069" in line.plain
    assert "\u20662016-12-06\u2069" in line.plain
    assert "\u2066--12-06\u2069" in line.plain
    titled = Text("المصدر: ")
    titled.append("BBC Arabic 2016", "khabar.title")
    marked = bidi_line(titled, frozenset({"khabar.title"})).plain
    assert "\u2068\u2066BBC Arabic 2016\u2069\u2069" in marked


@pytest.mark.parametrize("command", ["/date", "/timeline", "/source"])
def test_a_command_keeps_its_slash_inside_its_isolate(command: str) -> None:
    from rich.text import Text

    line = bidi_line(Text(f"اكتب {command} لترى ما حدث"))
    assert f"\u2066{command}\u2069" in line.plain


# ---- piped ----------------------------------------------------------------------------------


def console_piped(stdin: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*khabar_command(), "console", *args], input=stdin, capture_output=True, text=True,
        encoding="utf-8", env=process_env(), cwd=ROOT, timeout=60,
    )  # fmt: skip


def test_piped_output_is_plain_text() -> None:
    result = console_piped(HANANO + "\n")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert not BIDI_MARKS.search(result.stdout)
    assert HANANO_TEXT in result.stdout


def test_commands_work_as_in_telegram() -> None:
    result = console_piped(
        "/date 7 ديسمبر\n/timeline\n/source\n/date حلب\n/date\n/fly\n/date غدا\n"
    )
    out = result.stdout
    assert "في اليوم التالي، استعاد النظام السيطرة على المدينة القديمة" in out
    assert "أيام الأحداث: 10 أيام" in out
    assert "• 12 ديسمبر 2016 — 4 أحداث" in out
    assert "تجدها بتاريخها، مثل /date 21–30 نوفمبر 2016" in out  # "نهاية نوفمبر": no day
    assert "في الفهرس مقال واحد" in out
    assert "الفقرات: 20، منها 18 مؤرَّخة و2 دون تاريخ" in out
    assert "لم أجد تاريخًا في «حلب»" in out
    assert "اكتب التاريخ بعد الأمر" in out
    assert "أمر غير معروف" in out
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert f"لا أحداث في {tomorrow.day} " in out  # "/date غدا": the machine's tomorrow


def test_more_continues_a_piped_question_too() -> None:
    more = pages_of("حلب", 3)
    out = console_piped("حلب\nالمزيد\n").stdout
    assert "[4]" in out
    assert f"{more[1]}: اكتب «المزيد»." in out


def test_the_sentence_that_answers_is_underlined() -> None:
    out = io.StringIO()

    console = Console(file=out, width=200, force_terminal=True, color_system="standard")
    console.push_theme(THEME)
    session = ConsoleSession(LiveIndex(None), 1, Screen(True, console), True)
    answer = session.ask(HANANO)
    assert answer.hits[0].answer is not None
    assert "\x1b[4m" in out.getvalue() or ";4m" in out.getvalue() or ";4;" in out.getvalue()


def test_date_usage_shows_a_day_of_this_archive() -> None:
    from khabar.index.search import Engine

    engine = Engine.build([Path(__file__).parent / "articles" / "central-bank.txt"])
    out = io.StringIO()
    console = Console(file=out, width=200, force_terminal=False, theme=THEME)
    session = ConsoleSession(LiveIndex.serving(engine), 3, Screen(False, console), True)
    session.date("")
    session.date("مرحبا")
    assert BIDI_MARKS.sub("", out.getvalue()).count("/date 6 مارس 2024") == 2


@pytest.mark.parametrize(
    ("passages", "dated", "line"),
    [
        (6, 6, "الفقرات: 6، كلها مؤرَّخة"),
        (4, 0, "الفقرات: 4، كلها دون تاريخ"),
        (20, 18, "الفقرات: 20، منها 18 مؤرَّخة و2 دون تاريخ"),
    ],
)
def test_source_says_how_many_paragraphs_are_dated(passages: int, dated: int, line: str) -> None:
    assert paragraphs_line(passages, dated) == line
