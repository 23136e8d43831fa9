"""`rasd segment` and `rasd doc`: output formats, failures on stderr, exit statuses.

Most tests replace `rasd.text.prepare` with a small stand-in (each line one segment) so
that they check the commands themselves; the last ones run the real text stage.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

import rasd.text
from rasd.cli import main
from rasd.document import (
    DatePrecision,
    Document,
    PostInfo,
    PublicationDate,
    Segment,
    SegmentKind,
    Span,
    document_id,
)

AR_REPORT = (
    " date 2022-03-05\n"
    "أصيب ثلاثة مدنيين في انفجار عبوة ناسفة قرب سوق شعبي في الموصل.\n"
    "وقالت الشرطة إن التحقيق ما زال جاريًا.\n"
    "The market will reopen tomorrow, the governor said.\n"
    "— Ahmed Saleh (@ahmed_s) March 5, 2022\n"
)
EN_REPORT = "Protesters gathered outside the ministry in Basra on Friday.\nNo injuries were reported.\n"


@dataclass
class StubPrepared:
    document: Document
    segments: list[Segment]
    published: PublicationDate | None
    language: str


_HEADER = re.compile(r"\A *date (\d{4})-(\d\d)-(\d\d)")


def stub_prepare(document: Document) -> StubPrepared:
    """Each non-blank line is a segment; Arabic script -> ar; an '(@' line is a post."""
    if "BOOM" in document.text:
        raise ValueError("stand-in cannot segment this")
    segments = []
    for number, line in enumerate(re.finditer(r"[^\n]+", document.text)):
        text = line.group()
        language = "ar" if re.search("[\u0600-\u06ff]", text) else "en"
        post = None
        kind = SegmentKind.BODY
        if "(@" in text:
            kind = SegmentKind.POST
            post = PostInfo(author="Ahmed Saleh", handle="@ahmed_s", date="2022-03-05", links=("https://t.co/x1",))
        segments.append(Segment(line.start(), line.end(), kind, language, number, post))
    published = None
    header = _HEADER.match(document.text)
    if header:
        published = PublicationDate(
            dt.date(*map(int, header.groups())), DatePrecision.DAY, "header", Span(1, header.end())
        )
    languages = [s.language for s in segments]
    main_language = max(set(languages), key=languages.count) if languages else "und"
    return StubPrepared(document, segments, published, main_language)


@pytest.fixture
def stub(monkeypatch):
    monkeypatch.setattr(rasd.text, "prepare", stub_prepare, raising=False)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    ar = tmp_path / "ar.txt"
    ar.write_text(AR_REPORT, encoding="utf-8")
    en = tmp_path / "en.txt"
    en.write_text(EN_REPORT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    return {"ar": ar, "en": en, "empty": empty}


def run(*args: str, input: bytes | str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), input=input, env=env)


# --- rasd segment ---------------------------------------------------------------------------


def test_segment_text_output(stub, files) -> None:
    result = run("segment", str(files["ar"]))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == f"== {files['ar']} · id {document_id(AR_REPORT)} · en · 5 segments"
    body = [line for line in lines[1:] if not line.lstrip().startswith("↳")]
    assert len(body) == 5
    for line, text in zip(body, AR_REPORT.strip("\n").split("\n")):
        assert line.endswith(text)
        start, end = map(int, line.split()[0].split("-"))
        assert AR_REPORT[start:end] == text
    assert body[1].split()[1:4] == ["body", "ar", "¶1"]
    assert body[3].split()[1:3] == ["body", "en"]
    assert body[4].split()[1] == "post"
    assert lines[-1].strip() == "↳ post: Ahmed Saleh · @ahmed_s · 2022-03-05 · https://t.co/x1"
    assert lines[-1].index("↳") == body[4].index("—")  # attribution aligned under the text


def test_segment_jsonl_output(stub, files) -> None:
    result = run("segment", "--format", "jsonl", str(files["ar"]), str(files["en"]))
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 7
    texts = {document_id(AR_REPORT): AR_REPORT, document_id(EN_REPORT): EN_REPORT}
    for record in records:
        source = texts[record["document"]]
        assert source[record["start"] : record["end"]] == record["text"]
        assert record["kind"] in {k.value for k in SegmentKind}
    assert [r["index"] for r in records] == [0, 1, 2, 3, 4, 0, 1]
    assert records[0]["origin"] == str(files["ar"])
    assert records[4]["post"] == {
        "author": "Ahmed Saleh",
        "handle": "@ahmed_s",
        "date": "2022-03-05",
        "links": ["https://t.co/x1"],
    }
    assert records[0]["post"] is None
    assert "مدنيين" in result.stdout  # Arabic written as is, not \\u escapes


def test_segment_folder_and_stdin(stub, files, tmp_path: Path) -> None:
    files["empty"].unlink()
    result = run("segment", "--format", "jsonl", str(tmp_path))
    assert {json.loads(line)["origin"] for line in result.stdout.splitlines()} == {
        str(files["ar"]),
        str(files["en"]),
    }
    text_in = run("segment", "--format", "jsonl", "-", input=EN_REPORT.encode("cp1256"))
    assert [json.loads(line)["origin"] for line in text_in.stdout.splitlines()] == ["<stdin>"] * 2
    lines_in = "\n".join(json.dumps({"id": f"n{i}", "text": t}) for i, t in enumerate([EN_REPORT, AR_REPORT]))
    result = run("segment", "--format", "jsonl", "-", input=lines_in)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(r["input_id"], r["origin"]) for r in records} == {("n0", "<stdin>:line 1"), ("n1", "<stdin>:line 2")}
    assert result.exit_code == 0


def test_failures_go_to_stderr_and_the_run_goes_on(stub, files, tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"text": EN_REPORT}) + "\n{oops\n" + json.dumps({"text": "BOOM " + EN_REPORT}) + "\n")
    missing = tmp_path / "missing.txt"
    result = run("segment", str(files["empty"]), str(missing), str(batch), str(files["ar"]))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"rasd: {files['empty']}: empty document",
        f"rasd: {missing}: no such file or directory",
        f"rasd: {batch}:line 2: not valid JSON: Expecting property name enclosed in double quotes (column 2)",
        f"rasd: {batch}:line 3: segment failed: ValueError: stand-in cannot segment this",
        "rasd: 4 of 6 documents failed",
    ]
    headers = [line for line in result.stdout.splitlines() if line.startswith("== ")]
    assert [h.split(" · ")[0] for h in headers] == [f"== {batch}:line 1", f"== {files['ar']}"]


def test_usage_errors_exit_2(stub, files) -> None:
    assert run("segment").exit_code == 2
    assert run("segment", "--format", "xml", str(files["ar"])).exit_code == 2
    assert run("doc", "--max-bytes", "lots", str(files["ar"])).exit_code == 2
    assert run("segment", "--max-line-chars", "0", str(files["ar"])).exit_code == 2


def test_read_limits_from_options_and_environment(stub, files) -> None:
    size = len(AR_REPORT.encode("utf-8"))
    limited = run("segment", "--max-bytes", "100", str(files["ar"]), str(files["en"]))
    assert limited.exit_code == 1
    assert limited.stderr.startswith(f"rasd: {files['ar']}: {size:,} bytes, over the size limit of 100 bytes")
    assert "Protesters gathered" in limited.stdout
    from_env = run("doc", str(files["ar"]), env={"RASD_MAX_BYTES": "100"})
    assert from_env.exit_code == 1 and "over the size limit of 100 bytes" in from_env.stderr
    assert run("doc", str(files["ar"]), env={"RASD_MAX_BYTES": "1M"}).exit_code == 0
    lines = run("segment", "--max-line-chars", "40", str(files["en"]))
    assert lines.exit_code == 1
    assert "a single line of 60 characters (limit 40) at line 1" in lines.stderr


# --- rasd doc -------------------------------------------------------------------------------


def test_doc_text_output(stub, files) -> None:
    result = run("doc", str(files["ar"]), str(files["en"]))
    assert result.exit_code == 0
    first, second = result.stdout.split("\n\n")
    rows = {line[:12].strip(): line[13:] for line in first.splitlines()}
    assert rows["id"] == document_id(AR_REPORT)
    assert rows["input id"] == "-"
    assert rows["origin"] == str(files["ar"])
    assert rows["url"] == "-"
    assert rows["published"] == "2022-03-05 (day, from header) “date 2022-03-05” at 1-16"
    assert rows["language"] == "en"
    assert rows["languages"] == "en 3, ar 2 (segments)"
    assert rows["segments"] == "5: body 4, post 1"
    assert rows["characters"] == f"{len(AR_REPORT):,}"
    assert "published    unknown" in second


def test_doc_jsonl_output(stub, tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        json.dumps({"id": "x-1", "url": "https://example.org/a", "text": AR_REPORT, "published": "2022-03"}) + "\n"
    )
    result = run("doc", "--format", "jsonl", str(batch))
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record == {
        "id": document_id(AR_REPORT),
        "input_id": "x-1",
        "origin": f"{batch}:line 1",
        "url": "https://example.org/a",
        "title": None,
        "published_hint": "2022-03",
        "published": {
            "date": "2022-03-05",
            "precision": "day",
            "source": "header",
            "evidence": {"start": 1, "end": 16, "text": "date 2022-03-05"},
        },
        "language": "en",
        "languages": {"en": 3, "ar": 2},
        "segments": 5,
        "kinds": {"body": 4, "post": 1},
        "characters": len(AR_REPORT),
    }


# --- with the real text stage ------------------------------------------------------------------

MIXED = (
    " date 2021-11\n"
    "دانت وزارة الخارجية الهجوم على مقر الحكومة في المدينة وطالبت بمحاسبة المسؤولين عنه.\n\n"
    "وقال المتحدث باسم الوزارة إن فرق التحقيق وصلت إلى المكان.\n\n"
    "We condemn this attack and stand with the people of the city. pic.twitter.com/AbCdEf1234\n"
    "— Jane Doe (@janedoe_news) November 9, 2021\n\n"
    "وأضاف أن الوضع الأمني تحت السيطرة.\n"
)


def test_real_segments_are_true_spans(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_text(MIXED, encoding="utf-8")
    result = run("segment", "--format", "jsonl", str(path))
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records
    previous_end = 0
    for record in records:
        assert MIXED[record["start"] : record["end"]] == record["text"]
        assert record["start"] >= previous_end
        previous_end = record["end"]
    languages = {r["language"] for r in records if r["kind"] == "body"}
    assert "ar" in languages
    posts = [r for r in records if r["kind"] == "post"]
    assert posts and all(r["language"] == "en" for r in posts)


def test_real_doc_reads_the_header_date(tmp_path: Path) -> None:
    path = tmp_path / "header.txt"
    path.write_text(" date 2021-11\n" + MIXED.split("\n", 1)[1].split("\n\nWe")[0] + "\n", encoding="utf-8")
    result = run("doc", "--format", "jsonl", str(path))
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["published"]["date"] == "2021-11"
    assert record["published"]["precision"] == "month"
    assert record["published"]["source"] == "header"
    assert record["language"] == "ar"


def test_kadhimi_example_acceptance(shared_dir: Path) -> None:
    """Issue 2's acceptance: the two English tweets are English posts; the date is the post's day."""
    example = shared_dir / "examples" / "kadhimi-drone.txt"
    segments = run("segment", "--format", "jsonl", str(example))
    assert segments.exit_code == 0, segments.stderr
    records = [json.loads(line) for line in segments.stdout.splitlines()]
    posts = [r for r in records if r["kind"] == "post"]
    assert posts and all(r["language"] == "en" for r in posts)
    attributed = [r["post"] for r in posts if r["post"] and r["post"]["handle"]]
    assert any(
        p["handle"].lstrip("@") == "SarwanBarzani_" and p["date"] == "2021-11-07" for p in attributed
    )
    assert any(r["kind"] == "body" and r["language"] == "ar" for r in records)
    doc = run("doc", "--format", "jsonl", str(example))
    published = json.loads(doc.stdout)["published"]
    assert (published["date"], published["precision"], published["source"]) == ("2021-11-07", "day", "post")


def test_post_attribution_is_shown_once_per_post() -> None:
    from rasd.cli.segment import text_lines

    text = "First sentence of a post. Second sentence. — Ahmed Saleh (@ahmed_s) March 5, 2022"
    post = PostInfo(author="Ahmed Saleh", handle="ahmed_s", date="2022-03-05")
    segments = [
        Segment(0, 25, SegmentKind.POST, "en", 0, post),
        Segment(26, 42, SegmentKind.POST, "en", 0, post),
        Segment(43, len(text), SegmentKind.POST, "en", 0, post),
    ]
    lines = list(text_lines(StubPrepared(Document(text), segments, None, "en")))
    assert len(lines) == 5
    assert lines[-1].strip() == "↳ post: Ahmed Saleh · @ahmed_s · 2022-03-05"
