"""The command at the edges of the file system and of its pipes, and as a newcomer meets it.

Every case is a real process: closed pipes and full disks, files it must not overwrite, folders
and links it cannot read, a FIFO where an index should be, endless input, hand-made index
files, builds cut short by a signal.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from support.processes import ROOT, khabar_command, process_env

SEEDS = ROOT / "seeds"
QUESTION = "متى سقط حي مساكن هنانو؟"
# Without the capabilities that let root ignore file modes, so "mode 000" means what it says.
UNPRIVILEGED = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]
    if os.geteuid() == 0
    else []
)


def run(
    *args: str,
    stdin: str | bytes | None = None,
    cwd: Path = ROOT,
    timeout: float = 60,
    prefix: list[str] | None = None,
    **popen: object,
) -> subprocess.CompletedProcess:
    text = not isinstance(stdin, bytes)
    options: dict[str, object] = {"capture_output": True}
    if "stdout" in popen or "stderr" in popen:
        options = {}
    return subprocess.run(
        [*(prefix or []), *khabar_command(), *args], input=stdin, cwd=cwd, env=process_env(),
        timeout=timeout, text=text, encoding="utf-8" if text else None, **options, **popen,
    )  # fmt: skip


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def article(folder: Path, name: str, published: str | None = "2016-12-15") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(f"عنوان {name}\nفي 6 ديسمبر، حدث في {name} ما حدث.\n", encoding="utf-8")
    if published:
        (folder / f"{name}.toml").write_text(f"published = {published}\n", encoding="utf-8")
    return path


# ---- output that cannot be written ---------------------------------------------------------------


def closed_pipe() -> int:
    """A pipe's write end whose reader is already gone: every write gets EPIPE."""
    read, write = os.pipe()
    os.close(read)
    return write


@pytest.mark.parametrize("warned", [True, False], ids=["warning-first", "summary-first"])
def test_build_into_a_closed_pipe_fails_and_keeps_the_old_index(
    tmp_path: Path, warned: bool
) -> None:
    folder = tmp_path / "articles"
    article(folder, "one", published=None if warned else "2016-12-15")
    out = tmp_path / "khabar.idx"
    pipe = closed_pipe()
    try:
        result = run("index", "build", str(folder), "--out", str(out), stdout=pipe, stderr=pipe)
    finally:
        os.close(pipe)
    assert result.returncode == 1
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles"]  # no temp file either


def test_build_reports_a_closed_pipe_on_stderr(tmp_path: Path) -> None:
    pipe = closed_pipe()
    try:
        result = subprocess.run(
            [*khabar_command(), "index", "build", str(SEEDS), "--out", str(tmp_path / "x.idx")],
            stdout=pipe, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            env=process_env(), timeout=60,
        )  # fmt: skip
    finally:
        os.close(pipe)
    assert result.returncode == 1
    assert "Broken pipe" in one_line(result.stderr)
    assert not (tmp_path / "x.idx").exists()


def test_ask_into_a_full_disk_is_one_line_and_exit_1() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*khabar_command(), "ask", QUESTION], stdout=full, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", env=process_env(), timeout=60,
        )  # fmt: skip
    assert result.returncode == 1
    assert "No space left on device" in one_line(result.stderr)


def test_ask_with_stdout_closed_is_one_line_and_exit_1() -> None:
    result = subprocess.run(
        f"{' '.join(khabar_command())} ask حلب >&-", shell=True, capture_output=True, text=True,
        encoding="utf-8", env=process_env(), timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "standard output" in one_line(result.stderr)


def test_ask_json_into_a_closed_pipe_is_exit_1() -> None:
    pipe = closed_pipe()
    try:
        result = subprocess.run(
            [*khabar_command(), "ask", "--json", QUESTION], stdout=pipe, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", env=process_env(), timeout=60,
        )  # fmt: skip
    finally:
        os.close(pipe)
    assert result.returncode == 1
    one_line(result.stderr)


# ---- --out writes only where it may --------------------------------------------------------------


def test_out_never_replaces_the_source_article(tmp_path: Path) -> None:
    source = article(tmp_path, "one")
    before = source.read_bytes()
    result = run("index", "build", str(tmp_path), "--out", str(source))
    assert result.returncode == 1
    assert "not a khabar index" in one_line(result.stderr)
    assert source.read_bytes() == before


def test_out_never_replaces_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "khabar.idx"
    link.symlink_to(target)
    result = run("index", "build", str(SEEDS), "--out", str(link))
    assert result.returncode == 1
    assert "symbolic link" in one_line(result.stderr)
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "keep me"


def test_out_never_writes_into_a_fifo_or_a_device(tmp_path: Path) -> None:
    fifo = tmp_path / "khabar.idx"
    os.mkfifo(fifo)
    for out in (fifo, Path("/dev/null")):
        result = run("index", "build", str(SEEDS), "--out", str(out), timeout=30)
        assert result.returncode == 1
        assert "not a regular file" in one_line(result.stderr)
    assert fifo.exists()


def test_out_replaces_an_old_index_or_writes_a_new_file(tmp_path: Path) -> None:
    out = tmp_path / "khabar.idx"
    assert run("index", "build", str(SEEDS), "--out", str(out)).returncode == 0
    again = run("index", "build", str(SEEDS), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["khabar.idx"]


# ---- what cannot be read is skipped, by name, and counted ----------------------------------------


def test_unreadable_entries_are_skipped_each_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    article(folder, "good")
    bad_name = os.fsencode(str(folder)) + b"/\xe3\xd1\xc8\xc7.txt"  # Windows-1256 Arabic
    with open(bad_name, "wb") as file:
        file.write("عنوان\nفي 6 ديسمبر، حدث.\n".encode())
    article(folder / "locked", "hidden")
    (folder / "locked").chmod(0)
    article(folder / "noexec", "inside")
    (folder / "noexec").chmod(0o644)
    zero = article(folder, "zero")
    zero.chmod(0)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    out = tmp_path / "khabar.idx"
    try:
        result = run("index", "build", str(folder), "--out", str(out), prefix=UNPRIVILEGED)
    finally:
        (folder / "locked").chmod(0o755)
        (folder / "noexec").chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = result.stderr.splitlines()
    for name in (r"\xe3\xd1\xc8\xc7.txt", "locked", "noexec/inside.txt", "zero.txt",
                 "dangling.txt", "loop.txt"):  # fmt: skip
        assert sum(name in line for line in warnings) == 1, (name, result.stderr)
    assert "skipped  6 files or folders" in result.stdout
    assert "1 article," in result.stdout


def test_a_named_sidecar_stands_for_its_article(tmp_path: Path) -> None:
    source = article(tmp_path, "x")
    out = tmp_path / "x.idx"
    result = run("index", "build", str(source.with_suffix(".toml")), "--out", str(out))
    assert result.returncode == 0, result.stderr
    listed = run("articles", "--json", "--index", str(out)).stdout.splitlines()
    assert [json.loads(row)["title"] for row in listed] == ["عنوان x"]


def test_published_in_the_future_or_long_ago_is_a_warning(tmp_path: Path) -> None:
    article(tmp_path, "future", published="2099-01-01")
    article(tmp_path, "ancient", published="0001-01-01")
    result = run("index", "build", str(tmp_path), "--out", str(tmp_path / "x.idx"))
    assert result.returncode == 0, result.stderr
    assert "published 2099-01-01 is in the future" in result.stderr
    assert "published 0001-01-01 is before 1800" in result.stderr


# ---- input that must not hang or eat memory ------------------------------------------------------


def test_an_index_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "khabar.idx"
    os.mkfifo(fifo)
    result = run("ask", "--index", str(fifo), "حلب", timeout=20)
    assert result.returncode == 1
    assert "not a regular file" in one_line(result.stderr)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_endless_input_line_is_refused_with_bounded_memory() -> None:
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [*khabar_command(), "ask"], stdin=zero, capture_output=True, text=True,
            encoding="utf-8", env=process_env(), timeout=60, preexec_fn=_limit_memory,
        )  # fmt: skip
    assert result.returncode == 1
    assert "longer than" in one_line(result.stderr)


# ---- a hand-made index with valid checksums and wrong values -------------------------------------


@pytest.fixture(scope="module")
def good_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("index") / "good.idx"
    built = run("index", "build", str(SEEDS), "--out", str(path))
    assert built.returncode == 0, built.stderr
    return path


def entry_names(index: Path) -> dict[str, str]:
    """Passage column and scorer array names → zip entries (from the header)."""
    with np.load(index) as archive:
        header = json.loads(archive["header"].tobytes())
    names = dict(header["extra"])
    for scorer in header["scorers"].values():
        names.update({f"bm25.{key}": entry for key, entry in scorer.items()})
    return names


def tampered(good: Path, tmp_path: Path, name: str, change) -> Path:
    """``good`` with one array changed; every zip CRC and the meta checksum still valid."""
    entry = entry_names(good)[name]
    with np.load(good) as archive:
        arrays = {key: archive[key] for key in archive.files}
    arrays[entry] = change(arrays[entry].copy())
    out = tmp_path / f"{name}.idx"
    with out.open("wb") as file:
        np.savez(file, **arrays)
    return out


def _set(index: int, value):
    def change(array):
        array[index] = value
        return array

    return change


HUGE = 10**15
TAMPERINGS = {
    "article out of range": ("article", _set(0, 7)),
    "heading out of range": ("heading", _set(3, 999)),
    "paragraph of 0": ("paragraph", _set(3, 0)),
    "source out of range": ("source", _set(3, 9)),
    "huge day number": ("start", lambda a: np.where(a >= 0, HUGE, a)),
    "span ends before it starts": ("end", lambda a: np.where(a >= 0, 1, a)),
    "day order past the passages": ("start_order", lambda a: a + 10**6),
    "day order out of order": ("start_md_order", lambda a: a[::-1].copy()),
    "day order missing a row": ("mention_start_order", lambda a: a[1:]),
    "day order naming a row twice": ("start_order", _set(1, 0)),
    "text offsets past the text": ("text_offsets", lambda a: a * 2),
    "text not UTF-8": ("text_blob", lambda a: np.where(a == 0xD8, 0xFF, a).astype(np.uint8)),
    "text cut mid-character": ("text_offsets", _set(1, 1)),
    "posting past the documents": ("bm25.doc", lambda a: a + 1000),
    "huge document length": ("bm25.doc_len", lambda a: a.astype(np.int64) * HUGE),
    "bm25 params huge": ("bm25.params", lambda a: a * 1e300),
}


@pytest.mark.parametrize("case", list(TAMPERINGS))
def test_a_hand_made_index_with_wrong_values_is_one_line(
    good_index: Path, tmp_path: Path, case: str
) -> None:
    from khabar.index.search import Engine
    from khabar.index.store import IndexFileError

    name, change = TAMPERINGS[case]
    bad = tampered(good_index, tmp_path, name, change)
    with pytest.raises(IndexFileError) as refused:
        engine = Engine.open(bad)
        # before the checks, the damage showed only when a passage was read
        for question in ("حلب", "ماذا حدث في 6 ديسمبر", "مجلس الأمن"):
            [hit.passage for hit in engine.ask(question, top_k=20).hits]
        list(engine.timeline())
    assert "\n" not in str(refused.value)
    assert str(bad) in str(refused.value)


def test_the_cli_says_it_in_one_line(good_index: Path, tmp_path: Path) -> None:
    bad = tampered(good_index, tmp_path, "text_blob", lambda a: np.full_like(a, 0xFF))
    result = run("ask", "--index", str(bad), "حلب")
    assert result.returncode == 1
    assert str(bad) in one_line(result.stderr)


def test_the_tampering_helper_keeps_the_index_valid(good_index: Path, tmp_path: Path) -> None:
    """The control: an unchanged copy made the same way opens and answers."""
    from khabar.index.search import Engine

    same = tampered(good_index, tmp_path, "article", lambda a: a)
    assert Engine.open(same).ask(QUESTION).hits[0].passage.source.paragraph == 5


# ---- interrupted builds leave nothing behind -----------------------------------------------------

SLOW_SAVE = """
import sys, time
from khabar.bot import cli
from khabar.index import store
real = store._write_zip
def slow(*args, **kwargs):
    real(*args, **kwargs)
    time.sleep(60)
store._write_zip = slow
sys.exit(cli.main(sys.argv[1:]))
"""


def build_mid_write(out: Path) -> subprocess.Popen[str]:
    """A build of the seeds into ``out``, caught while its temporary file is being written."""
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_SAVE, "index", "build", str(SEEDS), "--out", str(out)],
        env=process_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not list(out.parent.glob(f".{out.name}.*.tmp")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return process


def test_sigterm_mid_write_removes_the_temp_file(tmp_path: Path) -> None:
    process = build_mid_write(tmp_path / "khabar.idx")
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_build_says_the_index_is_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "khabar.idx"
    process = build_mid_write(out)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert f"khabar: interrupted; {out} was not changed" in stderr


def test_the_next_build_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    out = tmp_path / "khabar.idx"
    stale = tmp_path / ".khabar.idx.k1ll3d.tmp"
    stale.write_bytes(b"PK\x03\x04 half an index")
    result = run("index", "build", str(SEEDS), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["khabar.idx"]


def test_a_build_in_progress_keeps_its_temp_file(tmp_path: Path) -> None:
    """Two builds of one index: the second must not delete the first one's temp file."""
    import fcntl

    from khabar.index.store import stale_temp_files

    busy = tmp_path / ".khabar.idx.busy.tmp"
    dead = tmp_path / ".khabar.idx.dead.tmp"
    busy.write_bytes(b"")
    dead.write_bytes(b"")
    with busy.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert stale_temp_files(tmp_path / "khabar.idx") == [dead]


# ---- settings ------------------------------------------------------------------------------------


def test_a_dot_env_in_windows_1256_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes("# إعدادات البوت\nKHABAR_TOP_K=3\n".encode("cp1256"))
    result = run("telegram", cwd=tmp_path, timeout=30)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert ".env" in line
    assert "UTF-8" in line


# ---- the command line for a newcomer -------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == "khabar 0.1.0"


COMMANDS = [
    ["ask"], ["console"], ["articles"], ["index"], ["index", "build"], ["timeline"], ["eval"],
    ["telegram"],
]  # fmt: skip


def in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``khabar ARGS`` run by its own main(), for what ends in argparse (help, usage errors)."""
    from khabar.bot.cli import main

    try:
        code = main(list(args))
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(capsys, command: list[str]) -> None:
    code, out, _ = in_process(capsys, *command, "--help")
    assert code == 0
    assert "example:\n  khabar" in out or "example:\n  KHABAR" in out


def test_help_states_the_defaults(capsys) -> None:
    assert "(default: 3)" in in_process(capsys, "ask", "--help")[1]
    console = " ".join(in_process(capsys, "console", "--help")[1].split())
    assert "(default: 3)" in console
    assert "(default: the bundled article" in console
    for key in ("المزيد", "مساعدة", "/date", "Ctrl-C", "NO_COLOR"):
        assert key in console


def test_telegram_help_lists_every_setting(capsys) -> None:
    from khabar.bot.settings import Settings

    text = in_process(capsys, "telegram", "--help")[1]
    for field in Settings.model_fields.values():
        assert str(field.alias) in text
    assert "KHABAR_TOP_K" in text
    assert "(default: 3)" in text


@pytest.mark.parametrize(
    "args", [["fly"], ["ask", "--top-k", "0", "حلب"], ["index", "build"], []], ids=repr
)
def test_usage_errors_are_one_line(capsys, args: list[str]) -> None:
    code, _, err = in_process(capsys, *args)
    assert code == 2
    assert "--help" in one_line(err)


@pytest.mark.parametrize("args", [["--frobnicate"], []], ids=repr)
def test_a_usage_error_names_khabar_once(capsys, args: list[str]) -> None:
    _, _, err = in_process(capsys, *args)
    assert not one_line(err).startswith("khabar: khabar:")


def test_articles_lists_ids_dates_and_passages(good_index: Path) -> None:
    result = run("articles", "--index", str(good_index))
    assert result.returncode == 0, result.stderr
    header, row, total = result.stdout.splitlines()
    assert header.split()[:5] == ["id", "published", "passages", "dated", "undated"]
    assert row.split()[:5] == ["aleppo-2016", "2016-12-15", "20", "18", "2"]
    assert total == "1 article, 20 passages: 18 dated, 2 undated"
    data = json.loads(run("articles", "--json").stdout)
    assert (data["id"], data["passages"], data["dated"], data["undated"]) == (
        "aleppo-2016", 20, 18, 2,
    )  # fmt: skip


def test_build_summary_counts_in_good_english(tmp_path: Path) -> None:
    result = run("index", "build", str(SEEDS), "--out", str(tmp_path / "x.idx"))
    first = result.stdout.splitlines()[0]
    assert "1 article, 20 passages (18 dated events, 2 undated)" in first
    assert len(result.stdout.splitlines()) <= 24  # one screen


def test_quiet_build_prints_nothing_but_warnings(tmp_path: Path) -> None:
    article(tmp_path / "a", "nodate", published=None)
    result = run("index", "build", str(tmp_path / "a"), "--out", str(tmp_path / "x.idx"), "-q")
    assert result.returncode == 0
    assert result.stdout == ""
    assert "no published date" in result.stderr


def test_progress_shows_files_passages_and_time(tmp_path: Path) -> None:
    """The progress bar as a terminal gets it (the bar is drawn only on a TTY)."""
    import io

    from rich.console import Console

    from khabar.bot.cli import BuildProgress
    from khabar.index.search import Engine

    for n in range(30):
        article(tmp_path, f"a{n}")
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100, color_system=None)
    with BuildProgress(console) as progress:
        Engine.build([tmp_path], progress=progress)
    drawn = screen.getvalue()
    assert "30/30" in drawn
    assert "files" in drawn
    assert "passages" in drawn
    assert "0:00:0" in drawn  # elapsed


def test_no_progress_bar_into_a_pipe(tmp_path: Path) -> None:
    result = run("index", "build", str(SEEDS), "--out", str(tmp_path / "x.idx"))
    assert result.stderr == ""
    assert "━" not in result.stdout


def test_the_gitignore_ignores_the_index_name_the_readme_uses() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--out khabar.idx" in readme
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "khabar.idx"], cwd=ROOT, timeout=30
    ).returncode
    assert ignored == 0


def test_the_readme_first_example_is_what_the_program_prints() -> None:
    """The first block of the README: a command, then its output ("…" elides a line's end)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```", 2)[1].strip("\n").splitlines()
    command, shown = block[0], block[1:]
    assert command.startswith("$ khabar ")
    question = command.split('"')[1]
    printed = run(*command[len("$ khabar ") :].split('"')[0].split(), question)
    lines = printed.stdout.strip("\n").splitlines()
    assert len(lines) >= len(shown)
    for want, got in zip(shown, lines, strict=False):
        if want.endswith("…"):
            assert got.startswith(want[:-1].rstrip()), (want, got)
        else:
            assert got == want


# ---- articles that cannot be read are skipped, the build goes on --------------------------------


def test_an_article_not_in_utf8_is_skipped_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    article(folder, "good")
    (folder / "cp1256.txt").write_bytes("عنوان\nفي 6 ديسمبر، حدث ما حدث.\n".encode("cp1256"))
    result = run("index", "build", str(folder), "--out", str(tmp_path / "x.idx"))
    assert (result.returncode, "cp1256.txt: skipped, not UTF-8" in result.stderr) == (0, True)


def test_a_binary_file_named_txt_is_skipped_as_binary(tmp_path: Path) -> None:
    """A tar archive decodes as UTF-8 when its names are ASCII; its NUL bytes tell."""
    from khabar.index.corpus import SkippedArticle, read_article

    binary = tmp_path / "archive.txt"
    binary.write_bytes(b"rabat-rain.txt" + b"\0" * 90 + b"0000644\0" + "عنوان\nفقرة\n".encode())
    with pytest.raises(SkippedArticle, match="binary"):
        read_article(binary)


def test_an_article_in_utf16_with_its_mark_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    text = "تقرير الفيضانات\nفي 6 ديسمبر، غمرت المياه قرية الدمازين.\n"
    (folder / "utf16.txt").write_bytes(text.encode("utf-16"))  # with its byte order mark
    out = tmp_path / "x.idx"
    assert run("index", "build", str(folder), "--out", str(out)).returncode == 0
    assert "الدمازين" in run("ask", "--index", str(out), "الدمازين").stdout


def test_a_title_without_paragraphs_is_skipped_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    article(folder, "good")
    (folder / "bare.txt").write_text("عنوان وحده\n", encoding="utf-8")
    result = run("index", "build", str(folder), "--out", str(tmp_path / "x.idx"))
    assert "bare.txt: skipped" in result.stderr


def test_when_every_file_is_skipped_the_build_says_why(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    result = run("index", "build", str(empty), "--out", str(tmp_path / "x.idx"))
    assert (result.returncode, "empty.txt: skipped" in result.stderr) == (1, True)


def test_out_ending_in_a_slash_is_refused(tmp_path: Path) -> None:
    result = run("index", "build", str(SEEDS), "--out", f"{tmp_path}/new/")
    assert (result.returncode, (tmp_path / "new").exists()) == (2, False)


def test_an_index_given_as_an_article_is_named_as_an_index(tmp_path: Path) -> None:
    index = tmp_path / "x.idx"
    assert run("index", "build", str(SEEDS), "--out", str(index)).returncode == 0
    result = run("index", "add", str(index), "--index", str(index))
    assert "x.idx: skipped, a zip archive (such as a khabar index), not an article" in result.stderr


def test_a_dot_env_line_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('TELEGRAM_BOT_TOKEN="123456789:abc\nKHABAR_TOP_K=3\n', "utf-8")
    result = run("telegram", cwd=tmp_path, timeout=30)
    said = one_line(result.stderr)
    assert (result.returncode, ".env: line 1 cannot be read" in said) == (2, True)


def test_a_dot_env_that_is_a_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / ".env").mkdir()
    result = run("telegram", cwd=tmp_path, timeout=30)
    assert (result.returncode, ".env: a folder" in one_line(result.stderr)) == (2, True)
