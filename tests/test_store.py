"""The index file: a faithful round trip, one clear line for every broken file, atomic writes."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from khabar.index import store
from khabar.index.bm25 import BM25Params, PostingsBM25
from khabar.index.store import FORMAT_VERSION, IndexFileError, load, save

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


def test_flipped_byte_in_array_data(index_file: Path):
    data = bytearray(index_file.read_bytes())
    with zipfile.ZipFile(index_file) as archive:
        info = archive.getinfo("s0.doc.npy")
    data[info.header_offset + 30 + len(info.filename) + 140] ^= 0xFF
    index_file.write_bytes(bytes(data))
    refused(index_file, "truncated or corrupt")


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


def test_inconsistent_postings(index_file: Path):
    doc = entries(index_file)["s0.doc"]
    refused(rewrite(index_file, **{"s0.doc": doc + 100}), "truncated or corrupt", "postings")


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

    monkeypatch.setattr(store.np, "savez", crash)
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

    monkeypatch.setattr(store.np, "savez", interrupt)
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
