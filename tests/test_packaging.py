"""A plain (non-editable) install must carry the bundled article, under one namespace."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("khabar-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


def test_wheel_ships_the_bundled_article(wheel_names: set[str]) -> None:
    assert {"khabar/seeds/aleppo-2016.txt", "khabar/seeds/aleppo-2016.toml"} <= wheel_names


def test_wheel_installs_only_the_khabar_namespace(wheel_names: set[str]) -> None:
    tops = {name.split("/")[0] for name in wheel_names if ".dist-info/" not in name}
    assert tops == {"khabar"}


def test_wheel_ships_the_telegram_bot(wheel_names: set[str]) -> None:
    """`khabar telegram` in the Docker image imports the bot package from the wheel."""
    assert "khabar/bot/telegram/app.py" in wheel_names
