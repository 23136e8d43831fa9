"""Readers: text, JSON Lines, JSON, folders, standard input; encodings; bad input.

All texts here are written for these tests.
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import os
from pathlib import Path

import pytest

from rasd.document import Document, Failure, document_id
from rasd.ingest import ReadLimits, parse_size, read, read_path, read_stream
from rasd.ingest import registry
from rasd.ingest.decode import DecodeError, decode

AR = (
    "أعلنت مديرية الصحة في الموصل، مساء السبت، أن ثلاثة مدنيين أصيبوا بجروح في انفجار قرب سوق شعبي.\n"
    "وقال متحدث باسم الشرطة إن التحقيق «ما زال جاريًا» ولم تتبنَّ أي جهة الهجوم.\n"
)
EN = "Police in Mosul said on Saturday that three civilians were wounded by a blast near a market.\n"
MIXED = " date 2022-03-05\n" + AR + "\n" + EN


def items(*sources, limits: ReadLimits = ReadLimits(), stdin=None) -> list[Document | Failure]:
    return list(read([str(s) if isinstance(s, Path) else s for s in sources], limits=limits, stdin=stdin))


def only(*sources, **kwargs) -> Document | Failure:
    found = items(*sources, **kwargs)
    assert len(found) == 1, found
    return found[0]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


class NonSeekable(io.BytesIO):
    """Bytes that behave like a pipe: no seeking back."""

    def seekable(self) -> bool:
        return False

    def seek(self, *args):  # pragma: no cover - must not be called
        raise io.UnsupportedOperation("seek")


# --- decoding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, encoding",
    [
        (AR.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + AR.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + AR.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + AR.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + AR.encode("utf-32-le"), "utf-32-le"),
        (AR.encode("cp1256"), "cp1256"),
    ],
)
def test_decode_each_encoding_gives_the_same_text(data: bytes, encoding: str) -> None:
    decoded = decode(data)
    assert decoded.text == AR
    assert decoded.encoding == encoding


def test_cp1256_with_latin_words_and_arabic_punctuation() -> None:
    text = "قال وزير الخارجية: «نرفض هذا الهجوم»؛ وأضاف أن فرنسا (France) تدعم التحقيق؟\r\n"
    assert decode(text.encode("cp1256")).text == text


def test_latin1_text_is_not_taken_for_cp1256() -> None:
    data = "Le café était fermé à Genève".encode("latin-1")
    with pytest.raises(DecodeError) as raised:
        decode(data)
    assert raised.value.reason == (
        "undecodable bytes at offset 6 (not UTF-8, UTF-16 or Windows-1256)"
    )


def test_high_bytes_that_only_map_to_cp1256_symbols_are_rejected() -> None:
    with pytest.raises(DecodeError, match="undecodable bytes at offset 0 "):
        decode(bytes(range(0x80, 0x100)) * 3)
    with pytest.raises(DecodeError, match="undecodable bytes at offset 8 "):
        decode(b"Report: \xc7 stray byte in English")  # one lone letter is not Arabic text


def test_nul_bytes_without_bom_are_binary() -> None:
    with pytest.raises(DecodeError, match="binary file"):
        decode(b"PK\x03\x04\x00\x00 not text")
    with pytest.raises(DecodeError, match="binary file"):
        decode(EN.encode("utf-16-le"))  # UTF-16 without its BOM


def test_broken_utf16_names_the_offset() -> None:
    data = codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8"  # lone high surrogate
    with pytest.raises(DecodeError, match=r"undecodable bytes at offset 6 "):
        decode(data)


def test_bom_is_the_only_change() -> None:
    text = "\ufeffline one\r\nline two\r\n"
    assert decode(text.encode("utf-8")).text == text[1:]


# --- text files ---------------------------------------------------------------------------


def test_text_file_is_kept_exactly(tmp_path: Path) -> None:
    raw = MIXED.replace("\n", "\r\n")
    path = write(tmp_path / "report.txt", raw)
    document = only(path)
    assert isinstance(document, Document)
    assert document.text == raw  # header line, leading space and CRLF all kept
    assert document.origin == str(path)
    assert document.id == document_id(raw)
    assert document.published_hint is None and document.input_id is None


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("cp1256"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    ],
)
def test_text_file_in_other_encodings_reads_the_same(tmp_path: Path, encode) -> None:
    plain = only(write(tmp_path / "utf8.txt", AR))
    other = only(write(tmp_path / "other.txt", encode(AR)))
    assert isinstance(other, Document)
    assert other.text == plain.text == AR
    assert other.id == plain.id


def test_same_text_read_twice_has_the_same_id(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", EN)
    b = write(tmp_path / "b" / "copy.txt", EN.replace("\n", "\r\n"))
    first, again, copy = items(a, a, b)
    assert first.id == again.id == copy.id
    assert only(write(tmp_path / "c.txt", AR)).id != first.id


def test_any_other_file_is_read_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.md", "# heading\n" + EN)
    assert only(path).text == "# heading\n" + EN


# --- JSON Lines ---------------------------------------------------------------------------


def test_jsonl_fields_and_line_origins(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "r-1", "url": "https://example.org/2022/03/05/a", "text": AR, "published": "2022-03-05"}, ensure_ascii=False),
        json.dumps({"text": EN, "source": "wire", "lang": "en"}),  # extra keys ignored
        json.dumps({"id": 17, "text": EN + "More.", "published": 2021, "title": "Blast"}),
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    first, second, third = items(path)
    assert (first.input_id, first.url, first.published_hint, first.text) == (
        "r-1",
        "https://example.org/2022/03/05/a",
        "2022-03-05",
        AR,
    )
    assert first.origin == f"{path}:line 1"
    assert (second.input_id, second.url, second.published_hint) == (None, None, None)
    assert second.origin == f"{path}:line 2"
    assert (third.input_id, third.published_hint, third.title) == ("17", "2021", "Blast")
    assert first.id == document_id(AR)


def test_jsonl_bad_lines_fail_one_by_one_and_the_rest_is_read(tmp_path: Path) -> None:
    body = "\n".join(
        [
            json.dumps({"text": EN}),  # 1 ok
            '{"text": "unterminated',  # 2 not JSON
            "",  # 3 blank: not a record
            json.dumps({"url": "https://example.org/x"}),  # 4 no text
            json.dumps({"text": ["a", "b"]}),  # 5 text not a string
            json.dumps(["text", EN]),  # 6 not an object
            json.dumps({"text": "   \n"}),  # 7 empty document
            json.dumps({"id": {"x": 1}, "text": EN}),  # 8 bad id
            json.dumps({"text": AR, "id": "last"}),  # 9 ok
        ]
    )
    path = write(tmp_path / "mixed.jsonl", body + "\n")
    found = items(path)
    assert [type(item).__name__ for item in found] == ["Document"] + ["Failure"] * 6 + ["Document"]
    failures = {item.origin.rsplit(":", 1)[1]: item.reason for item in found if isinstance(item, Failure)}
    assert failures["line 2"].startswith("not valid JSON: Unterminated string")
    assert failures["line 4"] == 'no "text" field (keys: url)'
    assert failures["line 5"] == '"text" must be a string, not an array'
    assert failures["line 6"] == 'expected a JSON object with a "text" field, got an array'
    assert failures["line 7"] == "empty document"
    assert failures["line 8"] == '"id" must be a string or a number, not an object'
    assert found[-1].origin == f"{path}:line 9" and found[-1].input_id == "last"


def test_jsonl_with_bom_crlf_and_a_cp1256_line(tmp_path: Path) -> None:
    data = (
        codecs.BOM_UTF8
        + json.dumps({"text": EN}).encode("utf-8")
        + b"\r\n"
        + json.dumps({"text": AR}, ensure_ascii=False).encode("cp1256")
        + b"\r\n"
    )
    first, second = items(write(tmp_path / "legacy.jsonl", data))
    assert first.text == EN and second.text == AR


def test_jsonl_in_utf16(tmp_path: Path) -> None:
    text = json.dumps({"text": AR}, ensure_ascii=False) + "\n" + json.dumps({"text": EN}) + "\n"
    found = items(write(tmp_path / "wide.jsonl", codecs.BOM_UTF16_LE + text.encode("utf-16-le")))
    assert [d.text for d in found] == [AR, EN]
    assert found[1].origin.endswith(":line 2")


def test_jsonl_line_over_the_size_limit_is_skipped_without_loading(tmp_path: Path) -> None:
    big = json.dumps({"text": "x" * 5000})
    path = write(tmp_path / "big.jsonl", json.dumps({"text": EN}) + "\n" + big + "\n" + json.dumps({"text": AR}, ensure_ascii=False) + "\n")
    first, failure, last = items(path, limits=ReadLimits(max_bytes=1000))
    assert first.text == EN and last.text == AR
    assert failure.origin == f"{path}:line 2"
    assert failure.reason.startswith(f"{len(big) + 1:,} bytes, over the size limit of 1,000 bytes")
    assert last.origin == f"{path}:line 3"


def test_jsonl_text_with_a_huge_single_line(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", json.dumps({"text": "word " * 300}) + "\n")
    failure = only(path, limits=ReadLimits(max_line_chars=1000))
    assert failure.reason == "a single line of 1,500 characters (limit 1,000) at line 1"
    assert failure.origin == f"{path}:line 1"


# --- .json files ----------------------------------------------------------------------------


def test_json_object_array_and_mislabelled_jsonl(tmp_path: Path) -> None:
    single = write(tmp_path / "one.json", json.dumps({"id": "a", "text": AR}, ensure_ascii=False))
    array = write(tmp_path / "many.json", json.dumps([{"text": EN}, {"nope": 1}, {"text": AR}]))
    lines = write(tmp_path / "lines.json", json.dumps({"text": EN}) + "\n" + json.dumps({"text": AR}) + "\n")
    broken = write(tmp_path / "broken.json", '{"text": ')
    assert only(single).input_id == "a"
    a, bad, c = items(array)
    assert (a.origin, c.origin) == (f"{array}:item 1", f"{array}:item 3")
    assert bad.origin == f"{array}:item 2" and bad.reason.startswith('no "text" field')
    assert [d.origin for d in items(lines)] == [f"{lines}:line 1", f"{lines}:line 2"]
    assert only(broken).reason.startswith("not valid JSON: Expecting value (line 1")


# --- folders ---------------------------------------------------------------------------------


def test_folder_is_read_recursively_in_name_order(tmp_path: Path, caplog) -> None:
    write(tmp_path / "b.txt", EN)
    write(tmp_path / "a" / "z.txt", AR)
    write(tmp_path / "a" / "deeper" / "x.jsonl", json.dumps({"text": EN + "!"}) + "\n")
    write(tmp_path / "c.json", json.dumps({"text": AR + "؟"}, ensure_ascii=False))
    write(tmp_path / ".git" / "config.txt", "hidden")
    write(tmp_path / ".draft.txt", "hidden too")
    write(tmp_path / "photo.jpg", b"\xff\xd8\xff\xe0")
    with caplog.at_level(logging.INFO, logger="rasd.ingest"):
        found = items(tmp_path)
    assert [d.origin for d in found] == [
        f"{tmp_path}/a/deeper/x.jsonl:line 1",
        f"{tmp_path}/a/z.txt",
        f"{tmp_path}/b.txt",
        f"{tmp_path}/c.json",
    ]
    assert all(isinstance(d, Document) for d in found)
    logged = caplog.text
    for skipped in (".git", ".draft.txt", "photo.jpg"):
        assert f"{tmp_path}/{skipped}: skipped" in logged


def test_empty_folder_is_a_failure(tmp_path: Path) -> None:
    write(tmp_path / "readme.md", "nothing to read here")
    failure = only(tmp_path)
    assert isinstance(failure, Failure)
    assert failure.origin == str(tmp_path)
    assert failure.reason.startswith("no files to read in this folder (*.jsonl")
    assert failure.reason.endswith("1 entries skipped")


def test_folder_symlink_loop_ends_and_broken_link_fails(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.txt", EN)
    os.symlink(tmp_path / "docs", tmp_path / "docs" / "loop")
    os.symlink(tmp_path / "gone.txt", tmp_path / "docs" / "b.txt")
    found = items(tmp_path / "docs")
    assert [type(x).__name__ for x in found] == ["Document", "Failure"]
    assert found[1].reason == "broken symbolic link"


# --- standard input ------------------------------------------------------------------------


def test_stdin_text_and_jsonl_are_told_apart() -> None:
    text = only("-", stdin=io.BytesIO(MIXED.encode("utf-8")))
    assert text.text == MIXED and text.origin == "<stdin>"
    lines = (json.dumps({"id": "s1", "text": AR}) + "\n" + json.dumps({"text": EN}) + "\n").encode()
    first, second = items("-", stdin=NonSeekable(lines))
    assert (first.input_id, first.text, first.origin) == ("s1", AR, "<stdin>:line 1")
    assert second.origin == "<stdin>:line 2"


def test_stdin_in_cp1256_and_utf16() -> None:
    assert only("-", stdin=NonSeekable(AR.encode("cp1256"))).text == AR
    assert only("-", stdin=NonSeekable(codecs.BOM_UTF16_BE + AR.encode("utf-16-be"))).text == AR


def test_stdin_over_the_size_limit_and_empty() -> None:
    failure = only("-", stdin=NonSeekable(b"a" * 2000), limits=ReadLimits(max_bytes=1000))
    assert failure.reason.startswith("more than 1,000 bytes, over the size limit of 1,000 bytes")
    assert only("-", stdin=io.BytesIO(b"")).reason == "empty document"


def test_read_stream_directly() -> None:
    (document,) = read_stream(io.BytesIO(EN.encode()), origin="upload")
    assert document.origin == "upload" and document.text == EN


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty document"),
        (b" \n\t\r\n  ", "empty document"),
        (codecs.BOM_UTF8, "empty document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (NUL bytes and no UTF-16 byte-order mark)"),
        (b"valid start \xc3\x28 then junk \xfe\xfe", "undecodable bytes at offset 12 (not UTF-8, UTF-16 or Windows-1256)"),
    ],
)
def test_bad_text_files(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path / "bad.txt", data)
    good = write(tmp_path / "good.txt", EN)
    failure, document = items(path, good)
    assert failure == Failure(origin=str(path), stage="read", reason=reason)
    assert document.text == EN


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: 3 GiB on paper, nothing on disk
        handle.truncate(3 * 1024**3)
    failure = only(path)
    assert failure.reason == (
        "3,221,225,472 bytes, over the size limit of 20,971,520 bytes "
        "(raise it with --max-bytes or RASD_MAX_BYTES)"
    )
    small = write(tmp_path / "small.txt", EN)
    assert only(small, limits=ReadLimits(max_bytes=10)).reason.startswith(f"{len(EN):,} bytes, over")
    assert only(small, limits=ReadLimits(max_bytes=len(EN))).text == EN


def test_a_ten_megabyte_single_line(tmp_path: Path) -> None:
    path = write(tmp_path / "one-line.txt", "short first line\n" + "كلمة " * 2_000_000 + "\nend\n")
    failure = only(path)
    assert failure.reason == "a single line of 10,000,000 characters (limit 1,000,000) at line 2"
    ok = write(tmp_path / "long-ok.txt", ("a long but normal line. " * 40 + "\n") * 2000)
    assert isinstance(only(ok), Document)  # longer than the line limit in total, fine per line


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    assert only(missing) == Failure(str(missing), "read", "no such file or directory")
    assert only(tmp_path / "no-folder" / "x.jsonl").reason == "no such file or directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", EN)
    path.chmod(0)
    try:
        assert only(path).reason == "permission denied"
    finally:
        path.chmod(0o644)


def test_permission_error_is_a_failure(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path / "locked.jsonl", json.dumps({"text": EN}))
    real_open = open

    def guarded_open(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_open)
    failure, document = items(path, write(tmp_path / "fine.txt", EN))
    assert failure.reason == "permission denied" and failure.origin == str(path)
    assert document.text == EN


def test_a_reader_bug_fails_that_file_only(tmp_path: Path, monkeypatch) -> None:
    class Broken:
        @staticmethod
        def read_path(path, origin, limits):
            yield from ()
            raise KeyError("oops")

    real_load = registry.load
    monkeypatch.setattr(registry, "load", lambda name: Broken if name == "jsonfile" else real_load(name))
    failure, document = items(write(tmp_path / "a.json", "{}"), write(tmp_path / "b.txt", EN))
    assert failure.reason == "jsonfile reader failed: KeyError: 'oops'"
    assert document.text == EN


# --- dispatch and limits ---------------------------------------------------------------------


def test_reader_is_chosen_by_suffix_then_by_content(tmp_path: Path) -> None:
    assert registry.spec_for_name("A.JSONL").name == "jsonl"
    assert registry.spec_for_name("dump.ndjson").name == "jsonl"
    assert registry.spec_for_name("x.json").name == "jsonfile"
    assert registry.spec_for_name("report.TXT").name == "text"
    assert registry.spec_for_name(".jsonl") is None  # a hidden name, not a suffix
    assert registry.spec_for_name("photo.png") is None
    no_suffix = write(tmp_path / "export", json.dumps({"id": "e1", "text": EN}) + "\n")
    assert only(no_suffix).input_id == "e1"
    prose = write(tmp_path / "article", "{braces} open this text\n" + EN)
    assert only(prose).text.startswith("{braces}")


def test_read_path_accepts_a_given_origin(tmp_path: Path) -> None:
    (document,) = read_path(write(tmp_path / "a.txt", EN), origin="archive/a.txt")
    assert document.origin == "archive/a.txt"


def test_limits_from_strings_and_environment() -> None:
    assert parse_size("20M") == 20 * 1024 * 1024
    assert parse_size("512k") == 512 * 1024
    assert parse_size("1.5 GiB") == int(1.5 * 1024**3)
    assert parse_size("1000") == 1000
    for bad in ("", "lots", "-5", "0"):
        with pytest.raises(ValueError):
            parse_size(bad)
    assert ReadLimits.from_env({"RASD_MAX_BYTES": "5M"}).max_bytes == 5 * 1024 * 1024
    assert ReadLimits.from_env({}) == ReadLimits()
    with pytest.raises(ValueError):
        ReadLimits(max_bytes=0)
