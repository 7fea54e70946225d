"""A plain (non-editable) install must still carry the bundled article."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_the_bundled_article(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("khabar-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"seeds/aleppo-2016.txt", "seeds/aleppo-2016.toml"} <= names
    assert "index/search.py" in names and "bot/cli.py" in names
