"""The persisted index: one file that loads fast and executes nothing.

The file is a zip written by ``np.savez``, stored rather than deflated: at 100k passages
deflate shrinks it 101 → 18 MB but costs ~5 s a save and ~0.2 s every load (measured), and
start-up matters more than disk. It holds

* ``khabar`` — the marker ``"khabar-index"``, and ``format_version`` — an int;
* ``header`` — UTF-8 JSON naming each scorer's and extra array's zip entries, and the SHA-256
  of the meta;
* ``meta`` — the caller's JSON (articles, passages, analyzer, BM25 params) as uint8 bytes;
* the scorers' arrays (``s0.doc``, ``s0.idf``, ...) and the extra arrays (``x0``, ...).

Each entry is a ``.npy`` array whose data starts aligned, so the file is memory-mapped rather
than read: an archive of a million passages opens in the time its small arrays take. Nothing in
it is ever unpickled or executed, so a hostile file can at worst be refused, and every array's
values are checked before use (:mod:`index.validate`): the small ones when the file is opened, a
term's postings and a passage's text when a question first reads them. A FIFO or a device is
refused without being opened for reading, so a wrong path cannot hang a start-up. Writes go to a
temporary file in the same folder, locked while written, fsynced and then renamed over the old
file: a crash mid-build leaves the previous index, never half of a new one, and the next write
removes the temporary files of writers that died (their lock is gone). Only a missing file, an
empty one or a khabar index is ever replaced. Every way a file can be wrong becomes an
:class:`IndexFileError` whose message is one line naming the file.
"""

from __future__ import annotations

import contextlib
import gc
import glob
import hashlib
import io
import json
import mmap
import os
import stat
import struct
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from khabar.index.bm25 import PostingsBM25
from khabar.index.validate import IndexFileError

try:
    import fcntl
except ImportError:  # not POSIX: no locks, so no temp file can be told dead and removed
    fcntl = None  # type: ignore[assignment]

# 2: two ranking fields, dates mentioned, news date sources; 3: mapped, sorted vocabulary,
# articles stored one by one; 4: a tanween alef folded away with its mark (terms changed);
# 5: plural and dual endings left on short words (terms changed); 6: a root's و left on
# (terms changed); 7: an unmarked tanween alef comes off (terms changed); 8: a dual's ت read
# as ة (terms changed); 9: ئو written ؤو (terms changed)
FORMAT_VERSION = 11
MAGIC = "khabar-index"
_MARKER_ENTRY = "khabar"
_ZIP_MAGIC = b"PK\x03\x04"
# Opening never blocks (a FIFO) and never follows a last link, where the OS can say so.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, KeyError):  # a lookup in the header: say what is missing, unquoted
        exc = ValueError(f"missing {exc.args[0] if exc.args else 'key'}")
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _json_bytes(value: Any) -> np.ndarray:
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return np.frombuffer(data, dtype=np.uint8)


def save(
    path: str | Path,
    meta: dict[str, Any],
    scorers: dict[str, PostingsBM25],
    extra_arrays: dict[str, np.ndarray] | None = None,
    before_replace: Callable[[Path], None] | None = None,
) -> None:
    """Write the index atomically (temp file in the same folder, fsync, rename).

    Only a missing file or an existing khabar index is replaced (:func:`check_target`).
    ``before_replace(temp_file)`` runs once the new index is whole and before it takes the
    old one's place: if it raises, the old index stays and the temp file is gone, so a caller
    can make "index written" and "build reported" happen together or not at all.
    """
    path = Path(path)
    check_target(path)
    meta_bytes = _json_bytes(meta)
    arrays: dict[str, np.ndarray] = {}
    layout: dict[str, dict[str, str]] = {}
    for i, (name, scorer) in enumerate(scorers.items()):
        layout[name] = {}
        for key, array in scorer.to_arrays().items():
            layout[name][key] = entry = f"s{i}.{key}"
            arrays[entry] = array
    extras: dict[str, str] = {}
    for i, (name, array) in enumerate((extra_arrays or {}).items()):
        extras[name] = entry = f"x{i}"
        arrays[entry] = np.asarray(array)
    for entry, array in arrays.items():
        if array.dtype.hasobject:
            raise TypeError(f"array {entry} holds Python objects; the index stores plain arrays")
    header = {
        "format_version": FORMAT_VERSION,
        "scorers": layout,
        "extra": extras,
        "meta_sha256": hashlib.sha256(meta_bytes.tobytes()).hexdigest(),
    }
    arrays.update(
        khabar=np.array([MAGIC]),
        format_version=np.array([FORMAT_VERSION], dtype=np.int64),
        header=_json_bytes(header),
        meta=meta_bytes,
    )
    _write_atomically(path, arrays, before_replace)


def check_target(path: Path) -> None:
    """Refuse to write over anything but a missing file, an empty one or a khabar index.

    ``--out`` pointing at an article, a symlink (whose target would survive while the link is
    replaced), a FIFO or a device is a slip that must not cost a file: nothing is opened that
    could block, nothing is followed.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise IndexFileError(f"{path}: cannot write the index ({_one_line(exc)})") from None
    if stat.S_ISLNK(info.st_mode):
        what = "a symbolic link"
    elif stat.S_ISDIR(info.st_mode):
        what = "a folder"
    elif not stat.S_ISREG(info.st_mode):
        what = "not a regular file (a FIFO, a device or a socket)"
    elif info.st_size == 0 or _is_index(path):
        return
    else:
        what = "a file that is not a khabar index"
    raise IndexFileError(
        f"{path}: exists and is {what}; khabar writes only a new file or over an old index"
    )


def _is_index(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return f"{_MARKER_ENTRY}.npy" in archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


@contextlib.contextmanager
def locked(path: str | Path) -> Iterator[None]:
    """Hold the index's lock while it is read, changed and written back.

    Two ``khabar index add`` at once would each write the index without the other's articles;
    the second waits for the first instead. Readers never lock: the rename keeps them safe.
    """
    path = Path(path)
    lock = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o644)
    except OSError as exc:
        raise IndexFileError(f"{path}: cannot lock the index ({_one_line(exc)})") from None
    try:
        if fcntl is not None:  # elsewhere two adds at once are not kept apart
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def stale_temp_files(path: Path) -> list[Path]:
    """Temp files an interrupted build of ``path`` left behind (none still being written)."""
    folder = path.parent if str(path.parent) else Path(".")
    stale: list[Path] = []
    if fcntl is None:
        return stale
    for tmp in folder.glob(f"{glob.escape(f'.{path.name}.')}*.tmp"):
        try:
            fd = os.open(tmp, os.O_RDONLY | _NONBLOCK | _NOFOLLOW)
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                # A build in progress holds its temp file locked; a dead one's lock is gone.
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                stale.append(tmp)
        except OSError:
            pass
        finally:
            os.close(fd)
    return stale


def _write_atomically(
    path: Path, arrays: dict[str, np.ndarray], before_replace: Callable[[Path], None] | None
) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    for stale in stale_temp_files(path):
        with contextlib.suppress(OSError):
            stale.unlink()
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise IndexFileError(f"{path}: cannot write the index ({_one_line(exc)})") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if fcntl is not None:  # "in progress", for stale_temp_files
                fcntl.flock(out.fileno(), fcntl.LOCK_EX)
            os.fchmod(out.fileno(), 0o644)  # mkstemp makes 0600; an index is not a secret
            _write_zip(out, arrays)
            out.flush()
            os.fsync(out.fileno())
            if before_replace is not None:
                before_replace(tmp)
            os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise IndexFileError(f"{path}: cannot write the index ({_one_line(exc)})") from None
        raise
    _fsync_folder(folder)


# Each array's data starts on a multiple of this in the file, so a memory map of it is aligned
# (the .npy header is padded to 64 bytes; the zip header before it is padded here).
_ALIGN = 64
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # a zip local file header, as zipfile reads it
_ZIP64_EXTRA = 20  # zipfile adds it to every local header when zip64 is forced, as numpy does
_PAD_ID = 0x6B68  # an extra field of our own, which readers skip: padding to _ALIGN


def _write_zip(out: BinaryIO, arrays: dict[str, np.ndarray]) -> None:
    """What ``np.savez`` writes (stored .npy entries), each entry's data aligned for mmap."""
    with zipfile.ZipFile(out, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for key, array in arrays.items():
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            name = info.filename.encode("utf-8")
            fixed = out.tell() + _LOCAL_HEADER.size + len(name) + _ZIP64_EXTRA + 4
            pad = -fixed % _ALIGN
            info.extra = struct.pack("<HH", _PAD_ID, pad) + bytes(pad)
            with archive.open(info, "w", force_zip64=True) as entry:
                np.lib.format.write_array(entry, np.asanyarray(array), allow_pickle=False)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: some filesystems refuse a folder fd)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def load(path: str | Path) -> tuple[dict[str, Any], dict[str, PostingsBM25], dict[str, np.ndarray]]:
    """Read an index written by :func:`save`: (meta, scorers by name, extra arrays by name).

    The arrays are memory-mapped, not read: opening costs what the small arrays cost, and a
    question brings in only the postings and texts it touches (the file's pages stay in the
    OS's cache, shared by every process serving the same index). The mapping outlives the
    file's replacement by a newer build, so a reader is never cut off mid-answer.
    """
    path = Path(path)
    with _open_index(path) as file:
        try:
            with zipfile.ZipFile(file) as archive:
                return _read(path, _Entries(file, archive))
        except IndexFileError:
            raise
        except Exception as exc:  # zip, npy, JSON, shape or memory trouble: all mean a bad file
            raise IndexFileError(
                f"{path}: truncated or corrupt khabar index ({_one_line(exc)}); rebuild it"
            ) from None


def _open_index(path: Path) -> BinaryIO:
    """The index file, opened without ever blocking: a FIFO or a device is refused unread."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    except FileNotFoundError:
        raise IndexFileError(f"{path}: no such index file") from None
    except IsADirectoryError:
        raise IndexFileError(f"{path}: is a folder, not an index file") from None
    except OSError as exc:
        raise IndexFileError(f"{path}: cannot read the index ({_one_line(exc)})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise IndexFileError(f"{path}: is a folder, not an index file")
        raise IndexFileError(f"{path}: not a regular file (a FIFO, a device?), not an index")
    os.set_blocking(fd, True)
    file = os.fdopen(fd, "rb")
    try:
        start = file.read(4)
        if not start:
            raise IndexFileError(f"{path}: empty file, not a khabar index")
        if start != _ZIP_MAGIC:
            raise IndexFileError(f"{path}: not a khabar index (not a zip archive)")
        file.seek(0)
    except OSError as exc:
        file.close()
        raise IndexFileError(f"{path}: cannot read the index ({_one_line(exc)})") from None
    except BaseException:
        file.close()
        raise
    return file


class _Entries:
    """The archive's arrays by entry name; a missing entry is a ValueError that names it.

    A stored entry is a view of the file's memory map (read-only, checked against the zip's
    own bounds); a compressed one, which no khabar writes but a zip tool may, is read whole.
    """

    def __init__(self, file: BinaryIO, archive: zipfile.ZipFile) -> None:
        self._archive = archive
        self._infos = {
            info.filename.removesuffix(".npy"): info
            for info in archive.infolist()
            if info.filename.endswith(".npy")
        }
        self.files = set(self._infos)
        self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.files:
            raise ValueError(f"no {name} entry")
        info = self._infos[name]
        if info.compress_type != zipfile.ZIP_STORED:
            data = io.BytesIO(self._archive.read(info))  # CRC-checked
            return np.asarray(np.load(data, allow_pickle=False))
        return self._mapped(name, info)

    def _mapped(self, name: str, info: zipfile.ZipInfo) -> np.ndarray:
        view = self._map
        at = info.header_offset
        fields = _LOCAL_HEADER.unpack_from(view, at)
        if fields[0] != _ZIP_MAGIC:
            raise ValueError(f"{name}: no zip entry where the directory says")
        start = at + _LOCAL_HEADER.size + fields[-2] + fields[-1]
        stop = start + info.file_size
        if stop > len(view):
            raise ValueError(f"{name}: entry runs past the end of the file")
        head = io.BytesIO(view[start : min(stop, start + 65_536)])
        version = np.lib.format.read_magic(head)
        reader = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        shape, fortran, dtype = reader(head)
        if dtype.hasobject:
            raise ValueError(f"{name}: holds Python objects, which an index never stores")
        count = int(np.prod(shape, dtype=np.int64))
        offset = start + head.tell()
        if offset + count * dtype.itemsize > stop:
            raise ValueError(f"{name}: array data runs past its entry")
        if count == 0:
            return np.empty(shape, dtype)
        array = np.frombuffer(view, dtype=dtype, count=count, offset=offset)
        array = array.reshape(shape, order="F" if fortran else "C")
        return array if array.flags.aligned else array.copy()

    def raw(self, name: str) -> bytes:
        """A JSON entry's bytes (written as a 1-D uint8 array)."""
        array = self[name]
        if array.dtype != np.uint8 or array.ndim != 1:
            raise ValueError(f"{name}: expected bytes, found {array.dtype} {array.shape}")
        return array.tobytes()


def _read(
    path: Path, archive: _Entries
) -> tuple[dict[str, Any], dict[str, PostingsBM25], dict[str, np.ndarray]]:
    if _MARKER_ENTRY not in archive.files or "format_version" not in archive.files:
        raise IndexFileError(f"{path}: not a khabar index (a zip archive without khabar's marker)")
    marker = archive[_MARKER_ENTRY]
    if marker.dtype.kind != "U" or marker.size != 1 or str(marker.item()) != MAGIC:
        raise IndexFileError(f"{path}: not a khabar index (wrong marker)")
    version = archive["format_version"]
    if version.dtype.kind not in "iu" or version.size != 1:
        raise IndexFileError(f"{path}: corrupt khabar index (unreadable format version)")
    if int(version.item()) != FORMAT_VERSION:
        raise IndexFileError(
            f"{path}: index format version {int(version.item())}, but this khabar reads "
            f"version {FORMAT_VERSION}; rebuild it with `khabar index build`"
        )
    header = _json(path, "header", archive.raw("header"))
    meta_bytes = archive.raw("meta")
    if hashlib.sha256(meta_bytes).hexdigest() != header["meta_sha256"]:
        raise IndexFileError(f"{path}: corrupt khabar index (meta checksum mismatch)")
    meta = _json(path, "meta", meta_bytes)
    if not isinstance(meta, dict):
        raise IndexFileError(f"{path}: corrupt khabar index (meta is not a JSON object)")
    scorers: dict[str, PostingsBM25] = {}
    for name, entries in header["scorers"].items():
        arrays = {key: archive[entry] for key, entry in entries.items()}
        scorers[name] = PostingsBM25.from_arrays(arrays, origin=str(path))
    extras = {name: archive[entry] for name, entry in header["extra"].items()}
    return meta, scorers, extras


def _json(path: Path, entry: str, data: bytes) -> Any:
    # Parsing builds ~1M dicts and strings and no cycles; pausing the cycle collector, which
    # would rescan the growing heap many times over, makes this ~25% faster (measured).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexFileError(
            f"{path}: corrupt khabar index (bad JSON in {entry}: {_one_line(exc)})"
        ) from None
    finally:
        if enabled:
            gc.enable()
