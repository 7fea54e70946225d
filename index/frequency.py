"""General Arabic's word frequencies (wordfreq's list), looked up without unpacking it.

A question's words are weighed by how rare they are in Arabic at large, and the stemmer asks
the same of a few spellings. wordfreq answers from a packed list of hundreds of thousands of
words, which takes far longer to import and unpack than a question takes. The list is written
once per wordfreq version into a cache folder as a sorted table of words and their frequency
bands, and memory-mapped after: a lookup is a binary search, and a process reads only the
pages it touches. A word the table cannot hold (one wordfreq would tokenize or standardize, or
longer than its width) is asked of wordfreq itself, so every answer is wordfreq's.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import threading
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

# Widest word the table holds, in UTF-8 bytes (a handful of wordfreq's words are longer).
WIDTH = 32
# Words wordfreq looks up as they are: Arabic letters only (no marks, tatweel or digits, which
# its tokenizer strips, splits or folds).
_PLAIN = re.compile(r"[\u0621-\u063a\u0641-\u064a]+")
_LOADING = threading.Lock()


class WordList:
    """wordfreq's Arabic words, sorted, with each one's frequency band (centibels below 1)."""

    def __init__(self, words: np.ndarray, bands: np.ndarray) -> None:
        self._words = words
        self._bands = bands

    @classmethod
    def from_wordfreq(cls) -> WordList:
        """The table made from wordfreq's own list (the slow path, once per version)."""
        from wordfreq import get_frequency_list

        plain = sorted(
            (word.encode(), band)
            for band, words in enumerate(get_frequency_list("ar", "best"))
            for word in words
            if _PLAIN.fullmatch(word) and len(word.encode()) <= WIDTH
        )
        words = np.array([word for word, _ in plain], dtype=f"S{WIDTH}")
        bands = np.array([band for _, band in plain], dtype=np.uint16)
        return cls(words, bands)

    @classmethod
    def load(cls, folder: Path) -> WordList:
        """The table cached in ``folder`` (OSError/ValueError when missing or damaged)."""
        words = np.load(folder / "words.npy", mmap_mode="r", allow_pickle=False)
        bands = np.load(folder / "bands.npy", mmap_mode="r", allow_pickle=False)
        if words.dtype != np.dtype(f"S{WIDTH}") or bands.dtype != np.uint16:
            raise ValueError("not a word table")
        if words.shape != bands.shape or words.ndim != 1:
            raise ValueError("not a word table")
        # plain arrays over the mapping: numpy's memmap subclass costs a lookup a hundred-fold
        return cls(np.asarray(words), np.asarray(bands))

    def save(self, folder: Path) -> None:
        """Written beside ``folder`` and renamed into place, so a reader never sees half."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
        staging.chmod(0o755)  # a service's user reads what its image's build wrote
        try:
            np.save(staging / "words.npy", self._words, allow_pickle=False)
            np.save(staging / "bands.npy", self._bands, allow_pickle=False)
            staging.rename(folder)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            if not folder.is_dir():  # a full disk; else another process wrote the same table
                raise

    def zipf(self, word: str) -> float:
        """wordfreq's ``zipf_frequency(word, "ar")``: 0 for a word it has not seen."""
        band = self._band(word)
        if band is None:
            return _wordfreq_zipf(word)
        return round(9 - band / 100, 2) if band >= 0 else 0.0

    def frequency(self, word: str) -> float:
        """The word's share of all words, as wordfreq's frequency dict holds it (0: unseen)."""
        band = self._band(word)
        if band is None:
            from wordfreq import get_frequency_dict

            return get_frequency_dict("ar", "best").get(word, 0.0)
        return 10 ** (-band / 100) if band >= 0 else 0.0

    def frequencies(self, words: list[str]) -> dict[str, float]:
        """:meth:`frequency` of many words with one binary search for all: making the stopword
        set asks for thousands, which one by one took longer than the rest of its making."""
        keys = [word.encode() for word in words]
        plain = [
            i for i, (word, key) in enumerate(zip(words, keys, strict=True))
            if len(key) <= WIDTH and _PLAIN.fullmatch(word)
        ]  # fmt: skip
        found: dict[str, float] = {}
        if plain:
            wanted = np.array([keys[i] for i in plain], dtype=f"S{WIDTH}")
            at = np.minimum(np.searchsorted(self._words, wanted), len(self._words) - 1)
            seen = (self._words[at] == wanted).tolist()
            bands = self._bands[at].tolist()
            found = {
                words[i]: 10 ** (-band / 100) if held else 0.0
                for i, held, band in zip(plain, seen, bands, strict=True)
            }
        return {word: found[word] if word in found else self.frequency(word) for word in words}

    def _band(self, word: str) -> int | None:
        """The word's band; -1 when wordfreq has not seen it, None when the table cannot tell."""
        key = word.encode()
        if len(key) > WIDTH or not _PLAIN.fullmatch(word):
            return None
        at = int(np.searchsorted(self._words, key))
        if at == len(self._words) or self._words[at] != key:
            return -1
        return int(self._bands[at])


def _wordfreq_zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "ar"))


def cache_folder() -> Path:
    """Where derived tables are kept: ``KHABAR_CACHE``, else the user's cache folder."""
    own = os.environ.get("KHABAR_CACHE")
    if own:
        return Path(own)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "khabar"


_TABLE: list[WordList] = []  # made once, then read without the lock


def word_list() -> WordList:
    """The table, from the cache when it holds this wordfreq's; made (and cached, where the
    folder can be written) otherwise. Loaded once however many threads ask."""
    if not _TABLE:
        with _LOADING:
            if not _TABLE:
                _TABLE.append(_open())
    return _TABLE[0]


def table_name() -> str:
    """The table's folder in the cache: one per wordfreq version (PackageNotFoundError)."""
    return f"wordfreq-ar-{version('wordfreq')}-w{WIDTH}"


def _open() -> WordList:
    try:
        folder = cache_folder() / table_name()
    except (PackageNotFoundError, RuntimeError):  # RuntimeError: no home folder to cache in
        return WordList.from_wordfreq()
    try:
        return WordList.load(folder)
    except (OSError, ValueError, EOFError):
        shutil.rmtree(folder, ignore_errors=True)  # damaged (or absent): made anew below
    table = WordList.from_wordfreq()
    with contextlib.suppress(OSError):  # a read-only or full disk: kept in memory only
        table.save(folder)
    return table
