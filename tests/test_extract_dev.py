"""Measurement: the extractor against the shared gold (the example and the dev set).

These assert the headline figures of issue 4 so that they cannot silently regress. The
documents are read from ../shared at test time; nothing of them is copied here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.evaluate import evaluate, load_gold, prediction_from_record
from rasd.evaluate.run import predict_records


def _report(docs: Path, gold: Path):
    predictions = [prediction_from_record(r) for r in predict_records(docs)]
    return evaluate(load_gold(gold), predictions)


@pytest.fixture(scope="module")
def dev(shared_dir: Path):
    return _report(shared_dir / "eval" / "dev.docs.jsonl", shared_dir / "eval" / "dev.gold.jsonl")


def test_the_example_is_extracted_completely(shared_dir: Path) -> None:
    examples = shared_dir / "examples"
    report = _report(examples / "kadhimi-drone.docs.jsonl", examples / "kadhimi-drone.gold.jsonl")
    assert report.headline == pytest.approx(1.0)


def test_the_example_quotes_name_their_speakers(shared_dir: Path) -> None:
    from rasd.pipeline import Pipeline

    text = (shared_dir / "examples" / "kadhimi-drone.txt").read_text(encoding="utf-8")
    result = Pipeline().extract_text(text)
    speakers = {(q.speaker.sector, q.speaker.country) for q in result.quotes if q.speaker}
    assert ("GOV", "USA") in speakers  # the State Department spokesman
    assert ("GOV", "IRQ") in speakers  # the prime minister
    kinds = {(e.type, e.actor1.sector if e.actor1 else None, e.actor1.country if e.actor1 else None)
             for e in result.events}
    assert ("DISAPPROVE", "GOV", "USA") in kinds
    attack = next(e for e in result.events if e.type == "ASSAULT" and not e.background)
    assert (attack.mode, attack.acled_sub_event_type, attack.injured) == ("aerial", "Air/drone strike", 6)
    assert attack.date is not None and attack.date.start == "2021-11-07"
    assert attack.actor2 is not None and (attack.actor2.sector, attack.actor2.country) == ("GOV", "IRQ")


def test_dev_headline_figures(dev) -> None:
    overall = dev.overall
    assert overall.relevance.f1 >= 0.95
    assert overall.f1("full", "core") >= 0.65
    assert overall.f1("full", "all") >= 0.50


def test_dev_fields_of_paired_events(dev) -> None:
    fields = dev.overall.fields["all"]
    for name, floor in (("date", 0.85), ("country", 0.95), ("place", 0.80), ("fatalities", 0.75), ("injured", 0.75),
                        ("actor1_sector", 0.70), ("mode", 0.75), ("acled_sub_event_type", 0.70)):
        value = fields[name].value
        assert value is not None and value >= floor, (name, value)


def test_dev_arabic_keeps_up_with_english(dev) -> None:
    arabic = dev.by_language["ar"].f1("full", "core")
    english = dev.by_language["en"].f1("full", "core")
    assert arabic >= english - 0.05
