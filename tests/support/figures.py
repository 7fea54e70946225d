"""Figures from the long runs: printed, and kept in build/soak-figures.json for the README."""

from __future__ import annotations

import json
from pathlib import Path

FIGURES = Path(__file__).resolve().parent.parent.parent / "build" / "soak-figures.json"


def record(name: str, figures: dict) -> None:
    print(f"\n{name}: " + json.dumps(figures, ensure_ascii=False, indent=1))
    FIGURES.parent.mkdir(exist_ok=True)
    known = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    FIGURES.write_text(json.dumps({**known, name: figures}, ensure_ascii=False, indent=1))


def table(title: str, rows: list[tuple[str, object]]) -> None:
    """A two-column table on stdout (``make soak`` runs with -s)."""
    width = max(len(name) for name, _ in rows)
    print(f"\n{title}")
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")
