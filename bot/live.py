"""An index file served while it is rebuilt: each question gets the latest complete version.

``khabar index build`` and ``index add`` write a temporary file and rename it over the index,
so the path always names a whole index; a new one shows as a new inode (or size or mtime).
Between questions a face asks :meth:`LiveIndex.current`, which looks at the file (one
``stat``) and, when it changed, opens the new version before answering. A question is answered
from one engine from start to end; a version that fails to open is reported once and the one
in service stays. ``generation`` counts the switches, so a face can tell that a page it handed
out ("المزيد") came from an article set that is gone.

An index is memory-mapped: the engine reads the file's pages as it answers. A file overwritten
in place (``cp`` or ``scp`` over it: the same inode, new bytes) takes the version in service
with it, so until the file opens whole again each question gets :class:`IndexFileError` rather
than an answer read from the wrong bytes (or a bus error where the file was cut short).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from khabar.index.search import Engine
from khabar.index.store import IndexFileError

logger = logging.getLogger("khabar.live")

Stamp = tuple[int, int, int, int]  # device, inode, size, mtime in ns


def _stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class LiveIndex:
    """The engine of an index file, swapped for the new one when the file is replaced."""

    def __init__(
        self, path: str | Path | None, opener: Callable[[str | Path | None], Engine] = Engine.open
    ) -> None:
        self.path = Path(path) if path is not None else None
        self._open = opener
        self._stamp = _stamp(self.path) if self.path is not None else None
        self.engine = opener(self.path)
        self.generation = 0
        self._lock = threading.Lock()  # the bot asks from worker threads
        self._unusable: str | None = None  # why the version in service cannot answer

    @classmethod
    def serving(cls, engine: Engine) -> LiveIndex:
        """An engine already open, with no file to watch (tests, the bundled seeds)."""
        live = cls.__new__(cls)
        live.path, live._open, live._stamp = None, Engine.open, None
        live.engine, live.generation, live._lock = engine, 0, threading.Lock()
        live._unusable = None
        return live

    def changed(self) -> bool:
        """Whether the file on disk is not the version in service (one ``stat``)."""
        return self.path is not None and _stamp(self.path) != self._stamp

    def current(self) -> Engine:
        """The engine to answer the next question with (the new version if the file changed).

        Raises IndexFileError while the file, overwritten in place, cannot be opened.
        """
        if self.changed():
            self.reload()
        if self._unusable is not None:
            raise IndexFileError(self._unusable)
        return self.engine

    def reload(self) -> bool:
        """Open the file's new version and put it in service; False when it cannot be used."""
        if self.path is None:
            return False
        with self._lock:
            stamp = _stamp(self.path)
            if stamp is None or stamp == self._stamp:
                return False
            in_place = self._stamp is not None and stamp[:2] == self._stamp[:2]
            try:
                engine = self._open(self.path)
            except IndexFileError as exc:
                self._stamp = stamp  # report a broken version once
                if in_place:  # the version in service was this file's old bytes
                    self._unusable = (
                        f"{exc}: the index was overwritten in place while in service; write "
                        "a whole one with `khabar index build --out` (or `mv` a copy over it)"
                    )
                    logger.error("index unusable until it is whole again: %s", self._unusable)
                else:
                    logger.warning("index not replaced, still serving the previous one: %s", exc)
                return False
            self.engine, self._stamp, self._unusable = engine, stamp, None
            self.generation += 1
            logger.info(
                "index replaced: %d articles, %d passages", len(engine.articles),
                len(engine.passages),
            )  # fmt: skip
            return True
