"""`rasd extract FILE|DIR|- [--format jsonl|table|csv] [--workers N]` on reports written for
these tests."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import main

REPORT = (
    "date 2023-05-19\n"
    "Police arrested 20 protesters in Basra on Friday after clashes near the council building.\n"
)
ARABIC = "date 2024-03-12\nاستهدفت طائرة مسيرة مقرا عسكريا قرب الموصل فجر اليوم الثلاثاء ما أسفر عن إصابة ثلاثة جنود.\n"


@pytest.fixture()
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "basra.txt").write_text(REPORT, encoding="utf-8")
    (folder / "mosul.txt").write_text(ARABIC, encoding="utf-8")
    return folder


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["extract", *args], input=stdin, catch_exceptions=False)


def test_jsonl_is_one_record_per_document(reports: Path) -> None:
    result = run(str(reports))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(records) == 2
    for record in records:
        assert set(record) >= {"id", "url", "published", "language", "events", "quotes", "error"}
        assert record["error"] is None
    by_language = {r["language"]: r for r in records}
    drone = by_language["ar"]["events"][0]
    assert drone["type"] == "ASSAULT" and drone["mode"] == "aerial"
    assert drone["date"]["start"] == "2024-03-12" and drone["injured"] == 3
    assert {"start", "end", "text"} <= set(drone["evidence"][0])
    assert drone["cameo"] and len(drone["cameo"]) == 2


def test_table_is_one_row_per_event(reports: Path) -> None:
    result = run(str(reports), "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("doc")
    assert any("ASSAULT/aerial" in line and "2024-03-12" in line and "IRQ" in line for line in lines)
    assert any("COERCE/arrest" in line for line in lines)


def test_csv_has_a_header_and_event_rows(reports: Path) -> None:
    result = run(str(reports), "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {"id", "type", "date_start", "country", "fatalities", "injured"} <= set(rows[0])
    assert any(r["type"] == "ASSAULT" and r["injured"] == "3" for r in rows)


def test_standard_input_and_two_workers(reports: Path) -> None:
    result = run("-", stdin=REPORT)
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[0])["events"]
    result = run(str(reports), "--workers", "2")
    assert result.exit_code == 0
    assert len([line for line in result.stdout.splitlines() if line.strip()]) == 2


def test_a_failed_document_has_an_error_and_the_batch_goes_on(reports: Path) -> None:
    (reports / "empty.txt").write_text("", encoding="utf-8")
    result = run(str(reports))
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(records) == 3
    failed = [r for r in records if r["error"]]
    assert len(failed) == 1 and "empty" in failed[0]["error"].lower()
    assert sum(1 for r in records if r["events"]) == 2


def test_examples_folder_gives_events() -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    result = run(str(examples), "--format", "table")
    assert result.exit_code == 0, result.output
    body = result.stdout
    for expected in ("ASSAULT/aerial", "ASSAULT/explosion", "PROTEST"):
        assert expected in body
