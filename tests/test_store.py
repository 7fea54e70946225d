"""The index file: a faithful round trip, one clear line for every broken file, atomic writes."""

from __future__ import annotations

import gc
import hashlib
import json
import mmap
import os
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from khabar.index import store
from khabar.index.bm25 import BM25Params, PostingsBM25
from khabar.index.store import FORMAT_VERSION, IndexFileError, load, save
from khabar.index.validate import CorruptIndex

CORPUS_TEXT = (
    "في 15 نوفمبر بدأت قوات النظام هجوما على حلب",
    "سيطرت القوات على حي مساكن هنانو في حلب",
    "مجلس الامن الفيتو روسيا الصين",
    "",
    "اجلاء المدنيين من شرق حلب",
)
CORPUS = [text.split() for text in CORPUS_TEXT]
META = {
    "analyzer": "light10",
    "params": {"variant": "okapi", "k1": 1.2, "b": 0.75, "epsilon": 0.25, "delta": 1.0},
    "passages": [{"id": "aleppo-p3", "text": "في 15 نوفمبر/ تشرين الثاني، بدأت…"}],
}


def scorers() -> dict[str, PostingsBM25]:
    return {
        "light10": PostingsBM25.build(CORPUS, BM25Params(k1=1.2)),
        "ngram3": PostingsBM25.build(CORPUS, BM25Params(variant="plus")),
    }


@pytest.fixture
def index_file(tmp_path: Path) -> Path:
    path = tmp_path / "archive.khabar"
    save(path, META, scorers(), {"events": np.array([True, True, False, False, True])})
    return path


def entries(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def rewrite(path: Path, **changes: np.ndarray | None) -> Path:
    """The same index with some zip entries replaced (None drops one); valid zip CRCs."""
    arrays = entries(path)
    for name, value in changes.items():
        if value is None:
            arrays.pop(name)
        else:
            arrays[name] = value
    out = path.with_name("changed.khabar")
    with out.open("wb") as file:  # a file object: np.savez would add ".npz" to a name
        np.savez(file, **arrays)
    return out


def as_bytes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def refused(path: Path, *phrases: str) -> str:
    with pytest.raises(IndexFileError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    for phrase in phrases:
        assert phrase in message
    return message


def test_round_trip(index_file: Path):
    meta, loaded, extra = load(index_file)
    assert meta == META
    assert gc.isenabled()  # paused only while the JSON is parsed
    assert set(loaded) == {"light10", "ngram3"}
    for name, original in scorers().items():
        assert loaded[name].params == original.params
        for query in (["حلب"], ["الفيتو", "حلب", "حلب"], ["غائب"], []):
            np.testing.assert_array_equal(loaded[name].scores(query), original.scores(query))
            assert loaded[name].top(query, 3) == original.top(query, 3)
    np.testing.assert_array_equal(extra["events"], [True, True, False, False, True])
    assert os.stat(index_file).st_mode & 0o777 == 0o644


def test_saves_only_plain_arrays(index_file: Path):
    with zipfile.ZipFile(index_file) as archive:
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
    assert all(not a.dtype.hasobject for a in entries(index_file).values())
    with pytest.raises(TypeError):
        save(index_file.with_name("x.khabar"), {}, {}, {"bad": np.array([{}, 1], dtype=object)})


def test_missing_file(tmp_path: Path):
    refused(tmp_path / "nowhere.khabar", "no such index file")


def test_folder(tmp_path: Path):
    refused(tmp_path, "folder")


def test_empty_file(tmp_path: Path):
    path = tmp_path / "empty.khabar"
    path.write_bytes(b"")
    refused(path, "empty file")


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_truncated_file(index_file: Path, keep: float):
    data = index_file.read_bytes()
    index_file.write_bytes(data[: int(len(data) * keep)])
    refused(index_file, "truncated or corrupt")


def test_random_bytes(tmp_path: Path):
    path = tmp_path / "noise.khabar"
    path.write_bytes(np.random.default_rng(1).bytes(4096))
    refused(path, "not a khabar index")


def test_random_bytes_after_a_zip_signature(tmp_path: Path):
    path = tmp_path / "noise.khabar"
    path.write_bytes(b"PK\x03\x04" + np.random.default_rng(2).bytes(4096))
    refused(path, "truncated or corrupt")


def test_a_zip_of_something_else(tmp_path: Path):
    path = tmp_path / "other.khabar"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not an index")
    refused(path, "not a khabar index")
    npz = tmp_path / "arrays.npz"
    np.savez(npz, a=np.arange(3))
    refused(npz, "not a khabar index")


def test_wrong_marker(index_file: Path):
    refused(rewrite(index_file, khabar=np.array(["other-index"])), "not a khabar index")


def test_wrong_version(index_file: Path):
    changed = rewrite(index_file, format_version=np.array([FORMAT_VERSION + 1]))
    refused(changed, f"version {FORMAT_VERSION + 1}", f"reads version {FORMAT_VERSION}")


def test_bad_checksum(index_file: Path):
    meta = bytes(entries(index_file)["meta"]).replace(b"light10", b"light11")
    refused(rewrite(index_file, meta=np.frombuffer(meta, np.uint8)), "checksum")


def test_bad_json(index_file: Path):
    broken = '{"analyzer": "light10", '
    header = json.loads(bytes(entries(index_file)["header"]))
    header["meta_sha256"] = hashlib.sha256(broken.encode()).hexdigest()
    changed = rewrite(index_file, meta=as_bytes(broken), header=as_bytes(json.dumps(header)))
    refused(changed, "bad JSON in meta")
    refused(rewrite(index_file, header=as_bytes("[1, 2")), "bad JSON in header")


def test_meta_must_be_an_object(index_file: Path):
    text = "[1, 2]"
    header = json.loads(bytes(entries(index_file)["header"]))
    header["meta_sha256"] = hashlib.sha256(text.encode()).hexdigest()
    changed = rewrite(index_file, meta=as_bytes(text), header=as_bytes(json.dumps(header)))
    refused(changed, "not a JSON object")


def _data_offset(path: Path, entry: str) -> int:
    """Where an entry's array data starts in the file (after the zip and .npy headers)."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(f"{entry}.npy")
    data = path.read_bytes()
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    header_len = struct.unpack_from("<H", data, start + 8)[0]
    return start + 10 + header_len


def _flip(path: Path, entry: str, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[_data_offset(path, entry) + at] ^= 0xFF
    path.write_bytes(bytes(data))


def test_every_array_starts_aligned_for_memory_mapping(index_file: Path):
    offsets = [_data_offset(index_file, name) for name in entries(index_file)]
    assert all(offset % 64 == 0 for offset in offsets)


def test_opened_arrays_are_mapped_not_read(index_file: Path):
    _, scorers_read, _ = load(index_file)
    owner = scorers_read["light10"].doc
    while isinstance(owner, np.ndarray | memoryview):
        owner = owner.base if isinstance(owner, np.ndarray) else owner.obj
    assert isinstance(owner, mmap.mmap)


def test_a_flipped_byte_in_a_small_array_is_refused_on_open(index_file: Path):
    _flip(index_file, "s0.indptr", 3)
    refused(index_file, "truncated or corrupt", "indptr")


def test_a_flipped_byte_in_the_postings_opens(index_file: Path):
    _flip(index_file, "s0.doc", 3)
    assert load(index_file)[0] == META


def test_a_flipped_byte_in_the_postings_is_refused_when_read(index_file: Path):
    _flip(index_file, "s0.doc", 3)
    scorer = load(index_file)[1]["light10"]
    with pytest.raises(CorruptIndex, match="postings of"):
        scorer.scores(CORPUS[0])


def test_postings_a_question_never_reads_are_never_checked(index_file: Path):
    _flip(index_file, "s0.doc", 3)  # the first term's postings ("في")
    scorer = load(index_file)[1]["light10"]
    assert scorer.top(["اجلاء"], 1) == [(4, pytest.approx(scorer.scores(["اجلاء"])[4]))]


def test_missing_entry(index_file: Path):
    refused(rewrite(index_file, **{"s0.idf": None}), "truncated or corrupt", "s0.idf")
    refused(rewrite(index_file, meta=None), "truncated or corrupt", "no meta entry")
    header = json.loads(bytes(entries(index_file)["header"]))
    del header["meta_sha256"]
    changed = rewrite(index_file, header=as_bytes(json.dumps(header)))
    refused(changed, "truncated or corrupt", "missing meta_sha256")


def test_deflated_entries_are_read_too(index_file: Path):
    path = index_file.with_name("deflated.khabar")
    with path.open("wb") as file:
        np.savez_compressed(file, **entries(index_file))
    assert load(path)[0] == META


def test_postings_pointing_past_the_documents_are_refused_when_read(index_file: Path):
    doc = entries(index_file)["s0.doc"]
    scorer = load(rewrite(index_file, **{"s0.doc": doc + 100}))[1]["light10"]
    with pytest.raises(CorruptIndex, match="postings"):
        scorer.scores(["حلب"])


def test_pickled_entry_is_never_executed(index_file: Path):
    arrays = entries(index_file)
    arrays["meta"] = np.array([{"boom": 1}], dtype=object)
    path = index_file.with_name("pickled.khabar")
    with path.open("wb") as file:
        np.savez(file, allow_pickle=True, **arrays)
    refused(path, "truncated or corrupt")


def _folder_listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_crash_mid_write_keeps_the_old_file(index_file: Path, monkeypatch):
    before = index_file.read_bytes()

    def crash(file, *args, **kwargs):
        file.write(b"PK\x03\x04 half of an index")
        raise RuntimeError("power cut")

    monkeypatch.setattr(store, "_write_zip", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        save(index_file, {"new": True}, scorers())
    assert index_file.read_bytes() == before
    assert _folder_listing(index_file) == [index_file.name]
    monkeypatch.undo()
    assert load(index_file)[0] == META


def test_interrupt_mid_write_leaves_no_temp_file(index_file: Path, monkeypatch):
    def interrupt(file, *args, **kwargs):
        file.write(b"PK")
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "_write_zip", interrupt)
    with pytest.raises(KeyboardInterrupt):
        save(index_file, {"new": True}, scorers())
    assert _folder_listing(index_file) == [index_file.name]


def test_failed_fsync_is_an_index_error(index_file: Path, monkeypatch):
    def no_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", no_disk)
    with pytest.raises(IndexFileError, match="No space left") as caught:
        save(index_file, {"new": True}, scorers())
    assert "\n" not in str(caught.value)
    monkeypatch.undo()
    assert _folder_listing(index_file) == [index_file.name]
    assert load(index_file)[0] == META


def test_write_into_a_missing_folder(tmp_path: Path):
    with pytest.raises(IndexFileError, match="cannot write"):
        save(tmp_path / "no" / "such" / "index.khabar", META, scorers())


def test_replaces_an_existing_index(index_file: Path):
    save(index_file, {"second": 2}, {})
    assert load(index_file) == ({"second": 2}, {}, {})
    assert _folder_listing(index_file) == [index_file.name]
