"""WARC and WARC.gz archives written by the tests with warcio; damaged archives."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rasd.document import Document, Failure
from rasd.ingest import ReadLimits, read, read_stream
from rasd.ingest.warc import read_range, record_offsets, sniff

AR = """<html lang="ar"><head><title>قصف على إدلب</title>
<meta property="article:published_time" content="2020-02-10T07:00:00+02:00"></head><body>
<article><h1>قصف جوي على ريف إدلب</h1><p>قُتل خمسة مدنيين بينهم طفلان، فجر الاثنين، في غارات جوية استهدفت
بلدة في ريف إدلب الجنوبي شمال غربي سوريا، بحسب ما أفاد الدفاع المدني.</p>
<p>وقال الدفاع المدني إن فرقه انتشلت الضحايا من تحت الأنقاض بعد ساعات من العمل.</p></article></body></html>"""

EN = """<html><head><title>Flooding in Basra</title></head><body><article><h1>Flooding in Basra</h1>
<p>Heavy rain flooded several districts of Basra on Sunday, forcing families to leave their homes, the
provincial council said, as pumps failed to keep up with the water.</p>
<p>No casualties were reported, officials said, but dozens of shops were damaged.</p></article></body></html>"""


def page(n: int) -> str:
    return (
        f"<html><head><title>Report {n}</title></head><body><article><h1>Report number {n}</h1>"
        f"<p>This is report number {n} from the archive, written for the tests of the WARC reader, with enough "
        f"words in it to count as an article for the extractor that reads the page.</p>"
        f"<p>A second paragraph of report {n} follows, so that the text is long enough.</p></article></body></html>"
    )


def write_warc(path: Path, pages: list[tuple[str, str | bytes, str]], gzip: bool, date: str = "2020-02-11T12:00:00Z") -> Path:
    """`pages`: (url, body, content type); a request record before each response."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "rasd tests"}))
        for url, body, content_type in pages:
            data = body.encode("utf-8") if isinstance(body, str) else body
            status = "404 Not Found" if url.endswith("/missing") else "200 OK"
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(request)
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(data), http_headers=headers, warc_headers_dict={"WARC-Date": date}
            )
            writer.write_record(record)
    return path


def response_offsets(path: Path) -> list[int]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    with path.open("rb") as handle:
        return [r.stream_pos for r in ArchiveIterator(handle, record_types=WarcRecordType.response, parse_http=False)]


SITE = [
    ("https://news.example/idlib", AR, "text/html; charset=utf-8"),
    ("https://news.example/basra", EN, "text/html"),
    ("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
    ("https://news.example/missing", "<html><body>not found</body></html>", "text/html"),
    ("https://news.example/idlib-cp1256", AR.encode("cp1256"), "text/html"),
]


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
def test_html_responses_become_documents_with_url_and_date(tmp_path: Path, gzip: bool) -> None:
    path = write_warc(tmp_path / ("site.warc.gz" if gzip else "site.warc"), SITE, gzip)
    found = list(read([str(path)]))
    assert all(isinstance(item, Document) for item in found), found
    assert [item.url for item in found] == ["https://news.example/idlib", "https://news.example/basra", "https://news.example/idlib-cp1256"]
    idlib, basra, old_encoding = found
    assert idlib.title == "قصف جوي على ريف إدلب" and "قُتل خمسة مدنيين" in idlib.text
    assert idlib.published_hint == "2020-02-10"  # the page's metadata beats the crawl date
    assert basra.published_hint == "2020-02-11"  # none in the page: WARC-Date
    assert basra.text.startswith("Flooding in Basra\n\nHeavy rain flooded")
    assert old_encoding.text == idlib.text and old_encoding.id == idlib.id
    offsets = response_offsets(path)
    assert [item.origin for item in found] == [f"{path}:offset {offsets[i]}" for i in (0, 1, 4)]


def test_an_uncompressed_warc_is_recognised_on_stdin(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "a.warc", SITE[:2], gzip=False)
    assert sniff(path.read_bytes()[:512])
    found = list(read_stream(io.BytesIO(path.read_bytes()), "<stdin>", ReadLimits()))
    assert [item.url for item in found] == ["https://news.example/idlib", "https://news.example/basra"]


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
def test_a_warc_truncated_in_its_last_record(tmp_path: Path, gzip: bool) -> None:
    pages = [(f"https://news.example/{n}", page(n), "text/html") for n in range(4)]
    whole = write_warc(tmp_path / "whole.warc", pages, gzip)
    last = response_offsets(whole)[-1]
    data = whole.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(data[: last + (len(data) - last) // 2])
    found = list(read([str(cut)]))
    assert [type(item).__name__ for item in found] == ["Document"] * 3 + ["Failure"]
    failure = found[-1]
    assert failure.origin == f"{cut}:offset {last}"
    assert "truncated" in failure.reason


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
def test_a_record_damaged_in_the_middle_fails_and_the_rest_still_read(tmp_path: Path, gzip: bool) -> None:
    pages = [(f"https://news.example/{n}", page(n), "text/html") for n in range(5)]
    whole = write_warc(tmp_path / "whole.warc", pages, gzip)
    offsets = response_offsets(whole)
    data = whole.read_bytes()
    start = offsets[2]
    end = min(o for o in _all_offsets(data) if o > start)  # the end of record 2 (a request follows)
    middle = start + (end - start) * 2 // 3
    damaged = tmp_path / ("damaged.warc.gz" if gzip else "damaged.warc")
    damaged.write_bytes(data[:middle] + data[middle + 40 :])  # 40 bytes of record 2 lost
    found = list(read([str(damaged)]))
    documents = [item for item in found if isinstance(item, Document)]
    failures = [item for item in found if isinstance(item, Failure)]
    assert [d.title for d in documents] == ["Report number 0", "Report number 1", "Report number 3", "Report number 4"]
    assert failures and failures[0].origin == f"{damaged}:offset {start}"
    assert "corrupt" in failures[0].reason or "truncated" in failures[0].reason


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
def test_any_cut_of_an_archive_reads_what_is_whole_and_never_raises(tmp_path: Path, gzip: bool) -> None:
    pages = [(f"https://news.example/{n}", page(n), "text/html") for n in range(3)]
    whole = write_warc(tmp_path / "whole.warc", pages, gzip)
    data = whole.read_bytes()
    offsets = response_offsets(whole)
    ids = [item.id for item in read([str(whole)])]
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    for size in range(0, len(data), max(1, len(data) // 150)):
        cut.write_bytes(data[:size])
        found = list(read([str(cut)]))
        complete = sum(1 for o in offsets if _record_end(data, o) <= size)
        documents = [item.id for item in found if isinstance(item, Document)]
        # every record that is whole is read; one cut only in its closing CRLFs still is
        assert complete <= len(documents) <= complete + 1, (size, found)
        assert documents == ids[: len(documents)]  # never a damaged page
        assert all(isinstance(item, (Document, Failure)) for item in found)


def _record_end(data: bytes, offset: int) -> int:
    """Where the response record at `offset` ends: the next record, or the end of the file."""
    later = [o for o in _all_offsets(data) if o > offset]
    return later[0] if later else len(data)


def _all_offsets(data: bytes) -> list[int]:
    from fastwarc.warc import ArchiveIterator

    return [r.stream_pos for r in ArchiveIterator(io.BytesIO(data), parse_http=False)]


def test_a_record_over_the_size_limit_is_refused_by_offset(tmp_path: Path) -> None:
    big = "<html><body><article>" + "<p>" + "word " * 40_000 + "</p></article></body></html>"
    path = write_warc(tmp_path / "big.warc.gz", [("https://news.example/big", big, "text/html"), SITE[1]], gzip=True)
    found = list(read([str(path)], limits=ReadLimits(max_bytes=50_000)))
    assert isinstance(found[0], Failure) and "over the size limit of 50,000 bytes" in found[0].reason
    assert found[0].origin == f"{path}:offset {response_offsets(path)[0]}"
    assert isinstance(found[1], Document) and found[1].url == "https://news.example/basra"


def test_an_archive_splits_into_record_ranges(tmp_path: Path) -> None:
    pages = [(f"https://news.example/{n}", page(n), "text/html") for n in range(6)]
    path = write_warc(tmp_path / "split.warc.gz", pages, gzip=True)
    offsets, complete = record_offsets(path)
    assert complete and len(offsets) == 13  # warcinfo + (request, response) x 6
    whole = [item.id for item in read([str(path)])]
    parts = []
    for start in range(0, len(offsets), 5):
        parts += [item.id for item in read_range(path, str(path), ReadLimits(), offsets[start], 5)]
    assert parts == whole


def test_a_file_that_is_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("these are notes, not an archive\n")
    found = list(read([str(path)]))
    assert len(found) == 1 and isinstance(found[0], Failure)
    assert found[0].origin.startswith(str(path))
