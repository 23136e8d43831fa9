"""`rasd annotate`: places, times and numbers of each document, as text and as JSON Lines.

The reports are written for these tests. The first run builds the gazetteer index into
the cache (see tests/test_places.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import main

AR_REPORT = """date 2022-03-06
قتل ثلاثة جنود وأصيب أكثر من 10 آخرين في هجوم على حاجز للجيش في بغداد صباح الجمعة.
وقالت مصادر أمنية إن عشرات المسلحين شاركوا في الهجوم الذي وقع قبل يومين.
"""

EN_REPORT = """At least 5 people were killed in Baghdad on Thursday, police said on 4 March 2022.
"""


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["annotate", *args], input=input)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    ar = tmp_path / "ar.txt"
    ar.write_text(AR_REPORT, encoding="utf-8")
    en = tmp_path / "en.txt"
    en.write_text(EN_REPORT, encoding="utf-8")
    return {"ar": ar, "en": en}


def test_annotate_jsonl_has_places_times_and_numbers(files):
    result = run("--format", "jsonl", str(files["ar"]), str(files["en"]))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    ar, en = records
    for record, source in ((ar, AR_REPORT), (en, EN_REPORT)):
        assert set(record) >= {"document", "origin", "published", "places", "times", "numbers"}
        for kind in ("places", "times", "numbers"):
            for mention in record[kind]:
                assert source[mention["start"] : mention["end"]] == mention["text"]

    assert ar["published"] == "2022-03-06"  # a Sunday
    times = {m["text"]: m for m in ar["times"]}
    assert (times["صباح الجمعة"]["start_date"], times["صباح الجمعة"]["precision"]) == ("2022-03-04", "day")
    assert times["قبل يومين"]["start_date"] == "2022-03-04"
    numbers = {m["text"]: (m["value"], m["qualifier"]) for m in ar["numbers"]}
    assert numbers == {"ثلاثة": (3, "exact"), "أكثر من 10": (10, "min"), "عشرات": (None, "vague")}
    assert any(p["text"] == "بغداد" and p["country"] == "IRQ" for p in ar["places"])

    assert en["published"] is None  # no date header: only the written date resolves
    times = {m["text"]: m for m in en["times"]}
    assert times["on Thursday"]["start_date"] is None
    assert times["4 March 2022"]["start_date"] == "2022-03-04"
    assert [(m["value"], m["qualifier"]) for m in en["numbers"]] == [(5, "min")]


def test_annotate_text_output_lists_each_kind_with_spans(files):
    result = run(str(files["ar"]))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"== {files['ar']} · id ") and "published 2022-03-06" in lines[0]
    titles = [line.split(" (")[0] for line in lines if not line.startswith((" ", "=="))]
    assert titles == ["places", "times", "numbers"]
    friday = next(line for line in lines if "صباح الجمعة" in line)
    start, end = map(int, friday.split()[0].split("-"))
    assert AR_REPORT[start:end] == "صباح الجمعة"
    assert "→ 2022-03-04 · day · weekday" in friday
    assert any("أكثر من 10" in line and "→ 10 · min" in line for line in lines)


def test_annotate_reads_standard_input():
    result = run("--format", "jsonl", "-", input=EN_REPORT)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["origin"] == "<stdin>" or "stdin" in record["origin"]
    assert [m["text"] for m in record["numbers"]] == ["At least 5"]


def test_annotate_reports_a_missing_file_and_goes_on(files, tmp_path):
    missing = tmp_path / "nope.txt"
    result = run("--format", "jsonl", str(missing), str(files["en"]))
    assert result.exit_code == 1
    assert str(missing) in result.stderr
    assert len(result.stdout.splitlines()) == 1  # the other document still went through


def test_annotate_survives_absurd_input(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("في 32/13/2021 وعام 0001 قتل " + "9" * 500 + " شخص\n", encoding="utf-8")
    result = run("--format", "jsonl", str(bad))
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert all(m["start_date"] is None and "rejected" in m["reason"] for m in record["times"])
    assert len(record["times"]) == 2
    assert [(m["value"], "rejected" in m["reason"]) for m in record["numbers"]] == [(None, True)]
