"""Other words news copy uses for what a question names (``lexicon.toml``).

A question about "الكرملين" should find "موسكو"; one about "أحياء" the passage that says "حي".
Neither a stemmer nor character n-grams can bridge those: the words share nothing. The lexicon
is data, read once; an entry of several words ("وقف إطلاق النار") applies when the question
holds all of them. Expansions are matched at a lower weight than the question's own words.

A **name** (a country, its people, its capital) says what a question is about: a passage
that names it none of its ways ("كم عدد سكان الصين؟" beside "عدد المدنيين") does not answer.

A group may also list the **kinds** of what it names: "وباء" is found as "الكوليرا", but a
question about cholera is not answered with measles or with a warning of epidemics in general.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from khabar.index.analysis import get_analyzer
from khabar.index.normalize import normalize

LEXICON = Path(__file__).with_name("lexicon.toml")


@dataclass(frozen=True)
class Entry:
    """One way of naming a thing: its normalized words and their stems (``narrower``: a kind
    of the thing, found for it but never standing for it; ``proper``: a name of a place)."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    narrower: bool = False
    proper: bool = False


@cache
def groups(path: Path = LEXICON) -> tuple[tuple[Entry, ...], ...]:
    """The lexicon's names, then its other groups: each group's interchangeable entries, then
    their kinds, analyzed like any text."""
    stem = get_analyzer("light10")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found: list[tuple[Entry, ...]] = []
    for table, proper in (("name", True), ("group", False)):
        for group in data.get(table, ()):
            entries = []
            for key, narrower in (("words", False), ("kinds", True)):
                for phrase in group.get(key, ()):
                    words = tuple(normalize(phrase).split())
                    stems = tuple(s for w in words for s in stem(w))
                    if stems:
                        entries.append(Entry(words, stems, narrower, proper))
            found.append(tuple(entries))
    return tuple(found)


@cache
def _by_stem() -> dict[str, tuple[int, ...]]:
    index: dict[str, set[int]] = {}
    for number, group in enumerate(groups()):
        for entry in group:
            if not entry.narrower:
                index.setdefault(entry.stems[0], set()).add(number)
    return {stem: tuple(sorted(numbers)) for stem, numbers in index.items()}


def names(stem: str) -> bool:
    """Whether a lexicon entry starts with this stem (so the question's word has other names)."""
    return stem in _by_stem()


def expand(stems: set[str]) -> list[tuple[Entry, tuple[Entry, ...]]]:
    """Each lexicon entry the question holds, with the other names of the same thing."""
    out: list[tuple[Entry, tuple[Entry, ...]]] = []
    done: set[int] = set()
    for stem in sorted(stems):
        for number in _by_stem().get(stem, ()):
            if number in done:
                continue
            group = groups()[number]
            own = [e for e in group if not e.narrower and set(e.stems) <= stems]
            if not own:
                continue
            done.add(number)
            others = tuple(entry for entry in group if not set(entry.stems) <= stems)
            out.extend((entry, others) for entry in own if others)
    return out
