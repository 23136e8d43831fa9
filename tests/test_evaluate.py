"""`rasd eval`: pairing, the date/country/place rules, levels, relevance, languages, fusion, CLI.

Fixtures are small synthetic gold and prediction files written here; the real examples are
only read (via `shared_dir`) to check that the gold scored against itself is perfect.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rasd.cli import main
from rasd.evaluate import (
    EvalInputError,
    evaluate,
    fusion_score,
    gold_as_prediction_record,
    gold_from_record,
    load_gold,
    load_predictions,
    prediction_from_record,
    render_errors,
    render_text,
)
from rasd.evaluate.match import haversine_km, place_key

BAGHDAD = {"name": "Baghdad", "alt_names": ["بغداد"], "country": "IRQ", "lat": 33.31, "lon": 44.37}
BASRA = {"name": "Basra", "alt_names": ["البصرة"], "country": "IRQ", "lat": 30.51, "lon": 47.78}


# --- fixture builders ----------------------------------------------------------------------


def day(start: str, precision: str = "day", end: str | None = None) -> dict[str, Any]:
    return {"start": start, "end": end, "precision": precision}


def gold_event(
    type: str = "ASSAULT",
    date: dict[str, Any] | None = None,
    location: dict[str, Any] | None = BAGHDAD,
    *,
    knowable: bool = True,
    background: bool = False,
    evidence: str = "gold evidence",
    **fields: Any,
) -> dict[str, Any]:
    event = {
        "type": type,
        "mode": fields.pop("mode", "aerial" if type == "ASSAULT" else None),
        "acled": fields.pop("acled", None),
        "date": date or day("2021-11-07"),
        "date_knowable": knowable,
        "location": None if location is None else {"admin1": None, "precision": "city", **location},
        "actor1": fields.pop("actor1", {"name": "gunmen", "sector": "REB", "country": None}),
        "actor2": fields.pop("actor2", None),
        "fatalities": fields.pop("fatalities", None),
        "injured": fields.pop("injured", None),
        "background": background,
        "evidence": evidence,
    }
    assert not fields, fields
    return event


def predicted_event(
    type: str = "ASSAULT",
    date: dict[str, Any] | None = None,
    location: dict[str, Any] | None = None,
    *,
    background: bool = False,
    evidence: str = "predicted evidence",
    **fields: Any,
) -> dict[str, Any]:
    """An event record as `rasd extract` prints it (spec/event-record.md)."""
    loc = None
    if location is not None:
        loc = {"geonameid": None, "admin1": None, "precision": "city", "lat": None, "lon": None}
        loc.update({k: v for k, v in location.items() if k != "alt_names"})
    return {
        "type": type,
        "mode": fields.pop("mode", "aerial" if type == "ASSAULT" else None),
        "acled_event_type": fields.pop("acled_event_type", None),
        "acled_sub_event_type": fields.pop("acled_sub_event_type", None),
        "cameo": None,
        "date": date if date is not None else day("2021-11-07"),
        "location": loc,
        "actor1": fields.pop("actor1", {"text": "gunmen", "name": "gunmen", "sector": "REB", "country": None}),
        "actor2": fields.pop("actor2", None),
        "fatalities": fields.pop("fatalities", None),
        "injured": fields.pop("injured", None),
        "weapon": None,
        "background": background,
        "evidence": [{"start": 0, "end": len(evidence), "text": evidence}],
        "confidence": 0.9,
    }


def gold_doc(id: str, events: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    relevant = fields.pop("relevant", any(not e.get("background") for e in events))
    return {"id": id, "published": fields.pop("published", "2021-11-07"), "relevant": relevant,
            "lang": fields.pop("lang", "en"), "events": events, **fields}


def pred_doc(id: str, events: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {"id": id, "url": None, "published": fields.pop("published", "2021-11-07"),
            "language": fields.pop("language", "en"), "events": events, "quotes": [],
            "error": fields.pop("error", None), **fields}


def score(gold: list[dict[str, Any]], predicted: list[dict[str, Any]], **kwargs: Any):
    return evaluate(
        [gold_from_record(g) for g in gold], [prediction_from_record(p) for p in predicted], **kwargs
    )


def one(gold_events: list[dict], predicted_events: list[dict], **kwargs: Any):
    return score([gold_doc("d1", gold_events)], [pred_doc("d1", predicted_events)], **kwargs)


def counts(report, level: str = "full", scope: str = "all") -> tuple[int, int, int]:
    prf = report.overall.levels[level][scope]
    return prf.tp, prf.fp, prf.fn


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


# --- levels and pairing --------------------------------------------------------------------


def test_perfect_prediction_scores_one_at_every_level() -> None:
    report = one([gold_event()], [predicted_event(location=BAGHDAD)])
    for level in ("type", "strict", "full"):
        assert counts(report, level) == (1, 0, 0)
        assert report.overall.f1(level, "core") == 1.0
    assert report.headline == 1.0


def test_pairs_only_events_of_the_same_type() -> None:
    report = one([gold_event("ASSAULT")], [predicted_event("FIGHT", mode="clash", location=BAGHDAD)])
    assert counts(report, "type") == (0, 1, 1)


def test_strict_failure_is_one_false_positive_and_one_false_negative() -> None:
    report = one([gold_event()], [predicted_event(date=day("2021-11-06"), location=BAGHDAD)])
    assert counts(report, "type") == (1, 0, 0)
    assert counts(report, "strict") == (0, 1, 1)
    assert counts(report, "full") == (0, 1, 1)
    wrong_country = one([gold_event()], [predicted_event(location={**BAGHDAD, "country": "SYR"})])
    assert counts(wrong_country, "strict") == (0, 1, 1)
    no_place = one([gold_event()], [predicted_event(location=None)])
    assert counts(no_place, "strict") == (0, 1, 1)  # the gold has a country, the prediction none


def test_full_needs_the_place_too() -> None:
    report = one([gold_event()], [predicted_event(location=BASRA)])
    assert counts(report, "strict") == (1, 0, 0)
    assert counts(report, "full") == (0, 1, 1)


def test_pairing_prefers_date_then_country_then_place() -> None:
    gold = [
        gold_event(date=day("2021-11-05"), location=BASRA, evidence="first"),
        gold_event(date=day("2021-11-07"), location=BAGHDAD, evidence="second"),
    ]
    # right date of the second event, place of the first: date counts most
    report = one(gold, [predicted_event(date=day("2021-11-07"), location=BASRA)])
    (missed,) = [i for i in report.issues if i.kind == "false negative"]
    assert missed.gold.evidence == "first"
    # same date for both: the place decides
    gold_same_day = [gold_event(location=BASRA, evidence="basra"), gold_event(location=BAGHDAD, evidence="baghdad")]
    report = one(gold_same_day, [predicted_event(location=BAGHDAD)])
    assert counts(report, "full") == (1, 0, 1)
    (missed,) = [i for i in report.issues if i.kind == "false negative"]
    assert missed.gold.evidence == "basra"


def test_pairing_is_greedy_not_optimal() -> None:
    """Best agreement first, even when another assignment would agree more in total."""
    reb = {"name": "gunmen", "sector": "REB", "country": None}
    gold = [
        gold_event(date=day("2021-11-01", "month"), actor1=reb, evidence="some day in November"),
        gold_event(date=day("2021-11-07"), actor1={"name": "army", "sector": "MIL", "country": "IRQ"},
                   evidence="on the 7th"),
    ]
    p1 = predicted_event(date=day("2021-11-07"), location=BAGHDAD)  # REB: agrees with both, more with the first
    p2 = predicted_event(date=day("2021-11-20"), location=BAGHDAD,
                         actor1={"text": "x", "name": "x", "sector": "OTH", "country": None})
    report = one(gold, [p1, p2])
    assert counts(report, "type") == (2, 0, 0)
    # greedy takes p1 with the November event first (date, country, place, actor1), leaving p2
    # with the 7th (wrong date); pairing p1 with the 7th and p2 with November would be all right
    assert counts(report, "strict") == (1, 1, 1)
    (issue,) = [i for i in report.issues if i.kind == "strict"]
    assert issue.gold.evidence == "on the 7th" and "date" in issue.fields


def test_unpaired_events_are_false_positives_and_negatives() -> None:
    report = one(
        [gold_event(), gold_event("PROTEST", mode="demonstrate")],
        [predicted_event(location=BAGHDAD), predicted_event(location=BAGHDAD, date=day("2021-11-01"))],
    )
    assert counts(report, "type") == (1, 1, 1)
    kinds = sorted(i.kind for i in report.issues)
    assert kinds == ["false negative", "false positive"]


# --- background ----------------------------------------------------------------------------


def test_background_gold_is_neither_rewarded_nor_punished() -> None:
    history = gold_event(date=day("2019-01-01"), background=True)
    current = gold_event()
    matched = one([history, current], [predicted_event(location=BAGHDAD), predicted_event(date=day("2019-01-01"), location=BAGHDAD)])
    assert counts(matched, "full") == (1, 0, 0)  # the history pair is not a false positive
    missed = one([history, current], [predicted_event(location=BAGHDAD)])
    assert counts(missed, "full") == (1, 0, 0)  # missing history costs nothing
    # a background pair that would fail strict still counts nothing
    wrong = one([history], [predicted_event(date=day("2021-01-01"), location=BASRA)])
    assert counts(wrong, "full") == (0, 0, 0)
    assert wrong.overall.fields["all"]["date"].total == 0


def test_predicted_background_events_are_not_scored() -> None:
    report = one([gold_event()], [predicted_event(location=BAGHDAD, background=True)])
    assert counts(report, "type") == (0, 0, 1)  # the extractor called a current event history
    extra = one([], [predicted_event(location=BAGHDAD, background=True)])
    assert counts(extra, "type") == (0, 0, 0)
    assert extra.overall.predicted_background == 1


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gold_date", "predicted_start", "right"),
    [
        (day("2021-11-07"), "2021-11-07", True),
        (day("2021-11-07"), "2021-11-06", False),
        (day("2019-12-31", end="2020-01-01"), "2020-01-01", True),  # inside the gold range
        (day("2019-12-31", end="2020-01-01"), "2020-01-02", False),
        (day("2021-11-01", "month"), "2021-11-30", True),
        (day("2021-11-01", "month"), "2021-12-01", False),
        (day("2021-01-01", "year"), "2021-12-31", True),
        (day("2021-01-01", "year"), "2022-01-01", False),
        (day("2021-11-10", "week"), "2021-11-07", True),  # 3 days before
        (day("2021-11-10", "week"), "2021-11-13", True),  # 3 days after
        (day("2021-11-10", "week"), "2021-11-06", False),  # 4 days
        (day("2021-11-10", "week"), "2021-11-14", False),
    ],
)
def test_date_rule_at_each_precision(gold_date, predicted_start, right) -> None:
    report = one([gold_event(date=gold_date)], [predicted_event(date=day(predicted_start), location=BAGHDAD)])
    assert counts(report, "strict") == ((1, 0, 0) if right else (0, 1, 1))
    assert report.overall.fields["all"]["date"].right == int(right)


def test_predicted_month_is_not_a_day() -> None:
    report = one([gold_event()], [predicted_event(date=day("2021-11-01", "month"), location=BAGHDAD)])
    assert counts(report, "strict") == (0, 1, 1)
    missing = one([gold_event()], [predicted_event(date={}, location=BAGHDAD)])
    assert counts(missing, "strict") == (0, 1, 1)


def test_unknowable_date_is_not_scored() -> None:
    report = one(
        [gold_event(knowable=False)], [predicted_event(date=day("2020-02-02"), location=BAGHDAD)]
    )
    assert counts(report, "full") == (1, 0, 0)
    assert report.overall.fields["all"]["date"].total == 0


# --- places --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("predicted_name", "right"),
    [
        ("Baghdad", True),
        ("BAGHDAD", True),  # case
        ("بغداد", True),  # alternative name
        ("بَغْدَاد", True),  # diacritics
        ("Green Zone", True),  # alternative name
        ("the Green Zone", True),  # leading "the"
        ("المنطقة الخضراء", True),
        ("منطقة الخضراء", True),  # leading ال on the gold side
        ("Hasakah", True),  # leading al- on the gold side
        ("الحسكه", True),  # ة written as ه
        ("إدلب", False),  # another place
        ("Bagh", False),  # no substring matches
    ],
)
def test_place_by_name_after_normalisation(predicted_name: str, right: bool) -> None:
    place = {
        "name": "Baghdad",
        "alt_names": ["بغداد", "Green Zone", "المنطقة الخضراء", "al-Hasakah", "الحسكة"],
        "country": "IRQ",
        "lat": None,
        "lon": None,
    }
    report = one([gold_event(location=place)], [predicted_event(location={**place, "name": predicted_name})])
    assert counts(report, "full") == ((1, 0, 0) if right else (0, 1, 1))


def test_place_key_folds_arabic_letter_forms() -> None:
    assert place_key("إدلب") == place_key("ادلب") == place_key("آدلب")
    assert place_key("al-Anbar") == place_key("Al Anbar") == place_key("Anbar") != place_key("Anbar2")
    assert place_key("الأنبار") == place_key("انبار")
    assert place_key("The Hague") == place_key("hague")
    assert place_key("Alexandria") == "alexandria"  # "al" inside a word is not an article


def test_place_within_25_km_of_the_gold_coordinates() -> None:
    assert haversine_km(33.0, 44.0, 34.0, 44.0) == pytest.approx(111.2, abs=0.5)
    near = {"name": "Some Village", "country": "IRQ", "lat": 33.31 + 0.18, "lon": 44.37}  # ~20 km
    far = {"name": "Some Village", "country": "IRQ", "lat": 33.31 + 0.27, "lon": 44.37}  # ~30 km
    assert counts(one([gold_event()], [predicted_event(location=near)]), "full") == (1, 0, 0)
    assert counts(one([gold_event()], [predicted_event(location=far)]), "full") == (0, 1, 1)


def test_event_without_gold_location_is_not_scored_on_place() -> None:
    report = one([gold_event("DISAPPROVE", location=None)], [predicted_event("DISAPPROVE", location=BASRA)])
    assert counts(report, "full") == (1, 0, 0)
    assert report.overall.fields["all"]["place"].total == 0


# --- scopes, fields, relevance, languages ---------------------------------------------------


def test_core_scope_counts_only_core_types() -> None:
    report = one(
        [gold_event(), gold_event("DISAPPROVE", location=None)],
        [predicted_event(location=BAGHDAD), predicted_event("MOBILIZE")],
    )
    assert counts(report, "type", "all") == (1, 1, 1)
    assert counts(report, "type", "core") == (1, 0, 0)


def test_field_accuracy_counts_where_gold_or_prediction_has_a_value() -> None:
    gold = [
        gold_event(fatalities=3, injured=None, actor2={"name": "pm", "sector": "GOV", "country": "IRQ"}),
        gold_event(date=day("2021-11-06"), fatalities=None, injured=None),
    ]
    predicted = [
        predicted_event(location=BAGHDAD, fatalities=3, injured=5,
                        actor2={"text": "pm", "name": "pm", "sector": "GOV", "country": "IRQ"}),
        predicted_event(date=day("2021-11-06"), location=BAGHDAD),
    ]
    fields = one(gold, predicted).overall.fields["all"]
    assert (fields["fatalities"].right, fields["fatalities"].total) == (1, 1)  # both-null pair not counted
    assert (fields["injured"].right, fields["injured"].total) == (0, 1)  # an invented figure is wrong
    assert (fields["actor2_sector"].right, fields["actor2_sector"].total) == (1, 1)
    assert (fields["actor1_sector"].right, fields["actor1_sector"].total) == (2, 2)
    assert (fields["date"].right, fields["date"].total) == (2, 2)


def test_mode_and_acled_sub_event_accuracy() -> None:
    gold = [gold_event(acled={"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"})]
    wrong = [predicted_event(location=BAGHDAD, mode="shelling", acled_event_type="Explosions/Remote violence",
                             acled_sub_event_type="Shelling/artillery/missile attack")]
    fields = one(gold, wrong).overall.fields["core"]
    assert fields["mode"].value == 0.0 and fields["acled_sub_event_type"].value == 0.0
    right = [predicted_event(location=BAGHDAD, acled_event_type="Explosions/Remote violence",
                             acled_sub_event_type="air/drone strike")]
    assert one(gold, right).overall.fields["core"]["acled_sub_event_type"].value == 1.0


def test_relevance_of_documents() -> None:
    gold = [
        gold_doc("yes", [gold_event()]),
        gold_doc("no", []),
        gold_doc("history", [gold_event(background=True)], relevant=False),
        gold_doc("missed", [gold_event()]),
    ]
    predicted = [
        pred_doc("yes", [predicted_event(location=BAGHDAD)]),
        pred_doc("no", [predicted_event()]),  # a false alarm
        pred_doc("history", [predicted_event(background=True)]),  # history only: not relevant
        pred_doc("missed", []),
    ]
    rel = score(gold, predicted).overall.relevance
    assert (rel.tp, rel.fp, rel.fn) == (1, 1, 1)


def test_per_language_split() -> None:
    gold = [
        gold_doc("ar1", [gold_event()], lang="ar"),
        gold_doc("en1", [gold_event()], lang="en"),
        gold_doc("fa1", [], lang="fa"),
    ]
    predicted = [
        pred_doc("ar1", [predicted_event(location=BAGHDAD)]),
        pred_doc("en1", [predicted_event(location=BASRA)]),
        pred_doc("fa1", [predicted_event()]),
    ]
    report = score(gold, predicted)
    assert report.by_language["ar"].f1("full", "core") == 1.0
    assert report.by_language["en"].f1("full", "core") == 0.0
    assert report.by_language["en"].f1("type", "core") == 1.0
    other = report.by_language["other"]
    assert other.documents == 1 and counts_of(other, "type") == (0, 1, 0)
    assert report.overall.documents == 3
    # without a gold `lang`, the language the pipeline detected decides
    unlabelled = score([gold_doc("x", [gold_event()], lang=None)], [pred_doc("x", [], language="ar")])
    assert unlabelled.by_language["ar"].documents == 1
    assert counts(report, "full", "core") == (1, 2, 1)


def counts_of(scores, level: str, scope: str = "all") -> tuple[int, int, int]:
    prf = scores.levels[level][scope]
    return prf.tp, prf.fp, prf.fn


def test_publication_date_accuracy() -> None:
    gold = [
        gold_doc("a", [], published="2021-11-07"),
        gold_doc("b", [], published="2021-11"),
        gold_doc("c", [], published="2021-11-07"),
        gold_doc("d", [], published=None),
    ]
    predicted = [
        pred_doc("a", [], published="2021-11-07"),
        pred_doc("b", [], published="2021-11-20"),  # inside the gold month
        pred_doc("c", [], published="2021-11"),  # coarser than the gold
        pred_doc("d", [], published="2021-01-01"),
    ]
    overall = score(gold, predicted).overall
    assert (overall.published.right, overall.published.total) == (2, 3)
    assert overall.published_invented == 1


def test_missing_and_failed_predictions() -> None:
    gold = [gold_doc("a", [gold_event()]), gold_doc("b", [gold_event()])]
    predicted = [pred_doc("a", [predicted_event(location=BAGHDAD)], error="extract failed: boom"),
                 pred_doc("zzz", [])]
    report = score(gold, predicted)
    assert counts(report, "type") == (0, 0, 2)  # a failed document's events are not used
    assert report.missing_predictions == ["b"] and report.unknown_predictions == ["zzz"]
    assert report.failures == [("a", "extract failed: boom")]
    assert report.overall.failed_documents == 1
    assert "a FAILED: extract failed: boom" in render_errors(report)


# --- the report ----------------------------------------------------------------------------


def test_report_and_error_listing_show_why() -> None:
    report = one(
        [gold_event(evidence="drone hit the house"), gold_event("PROTEST", mode="demonstrate", evidence="crowds marched")],
        [predicted_event(date=day("2021-11-05"), location=BAGHDAD, evidence="a drone struck"),
         predicted_event("FIGHT", mode="clash", evidence="clashes erupted")],
    )
    text = render_text(report)
    assert "HEADLINE core full F1 = 0.000" in text
    errors = render_errors(report)
    assert "d1 [en] STRICT FAIL ASSAULT/aerial" in errors
    assert "date: 2021-11-05 (day) ≠ gold 2021-11-07 (day)" in errors
    assert "«a drone struck»" in errors and "«drone hit the house»" in errors
    assert "FALSE POSITIVE FIGHT/clash" in errors and "«clashes erupted»" in errors
    assert "FALSE NEGATIVE PROTEST/demonstrate" in errors and "«crowds marched»" in errors
    record = report.to_dict()
    assert record["headline"]["core_full_f1"] == 0.0
    assert record["overall"]["levels"]["type"]["core"]["tp"] == 1
    json.dumps(record)  # serialisable


# --- fusion --------------------------------------------------------------------------------


def _fusion_fixture() -> tuple[list, list]:
    """Three reports of a Baghdad strike (a: Baghdad with coordinates; b: only the Arabic
    name; c: an unnamed place 10 km from a), one Basra strike the same day, and one Baghdad
    strike the next day. a-b share a name, a-c are within 25 km; b-c share neither, so the
    gold relation is pairwise, not transitive."""
    near_baghdad = {"name": "Unnamed suburb", "country": "IRQ", "lat": 33.40, "lon": 44.37}
    gold = [
        gold_doc("a", [gold_event(location=BAGHDAD)]),
        gold_doc("b", [gold_event(location={"name": "بغداد", "country": "IRQ"})]),
        gold_doc("c", [gold_event(location=near_baghdad)]),
        gold_doc("d", [gold_event(location=BASRA)]),
        gold_doc("e", [gold_event(date=day("2021-11-08"), location=BAGHDAD)]),
    ]
    predicted = [pred_doc(g["id"], [predicted_event(location=BAGHDAD)]) for g in gold]
    return [gold_from_record(g) for g in gold], [prediction_from_record(p) for p in predicted]


def test_fusion_pairwise_score() -> None:
    gold, predicted = _fusion_fixture()
    perfect = {("a", 0): "x", ("b", 0): "x", ("c", 0): "x", ("d", 0): "y", ("e", 0): "z"}
    result = fusion_score(gold, predicted, perfect)
    assert (result.pairs.tp, result.pairs.fp, result.pairs.fn) == (2, 1, 0)  # b-c is not a gold pair
    assert result.day_merges == [] and result.events == 5 and result.incidents == 3
    # c left unfused: a-b right, a-c missed
    partial = {("a", 0): "x", ("b", 0): "x", ("d", 0): "y", ("e", 0): "z"}
    result = fusion_score(gold, predicted, partial)
    assert (result.pairs.tp, result.pairs.fp, result.pairs.fn) == (1, 0, 1) and result.unfused == 1
    # everything in one incident: 10 pairs said, 2 true; merges two days
    lumped = fusion_score(gold, predicted, lambda doc, index: "all")
    assert (lumped.pairs.tp, lumped.pairs.fp, lumped.pairs.fn) == (2, 8, 0)
    assert lumped.day_merges == ["all"]
    # nothing fused
    alone = fusion_score(gold, predicted, {})
    assert (alone.pairs.tp, alone.pairs.fp, alone.pairs.fn) == (0, 0, 2) and alone.unfused == 5


def test_fusion_ignores_background_and_non_core_and_same_document_pairs() -> None:
    gold = [
        gold_from_record(gold_doc("a", [gold_event(), gold_event(background=True), gold_event("DISAPPROVE")])),
        gold_from_record(gold_doc("b", [gold_event(), gold_event(date=day("2021-11-01", "month"))])),
    ]
    predicted = [
        prediction_from_record(pred_doc("a", [predicted_event(location=BAGHDAD), predicted_event(date=day("2021-11-07"), location=BAGHDAD), predicted_event("DISAPPROVE")])),
        prediction_from_record(pred_doc("b", [predicted_event(location=BAGHDAD), predicted_event(date=day("2021-11-20"), location=BAGHDAD)])),
    ]
    result = fusion_score(gold, predicted, lambda doc, index: "one")
    assert result.events == 2  # one current, day-dated core event per document
    assert (result.pairs.tp, result.pairs.fp, result.pairs.fn) == (1, 0, 0)


def test_evaluate_carries_the_fusion_score_when_given_incidents() -> None:
    gold, predicted = _fusion_fixture()
    assert evaluate(gold, predicted).fusion is None
    report = evaluate(gold, predicted, incident_of=lambda doc, index: "all")
    assert report.fusion is not None and report.fusion.pairs.fp == 8
    assert "incidents merging two gold days: 1" in render_text(report)


# --- files and the CLI ---------------------------------------------------------------------


def _files(tmp_path: Path) -> tuple[Path, Path]:
    gold = write_jsonl(tmp_path / "gold.jsonl", [
        gold_doc("ar1", [gold_event(evidence="استهدفت طائرة مسيرة")], lang="ar"),
        gold_doc("en1", [gold_event("PROTEST", mode="demonstrate", location=BASRA)], lang="en"),
        gold_doc("neg", [], lang="en"),
    ])
    predictions = write_jsonl(tmp_path / "pred.jsonl", [
        pred_doc("ar1", [predicted_event(location={"name": "بغداد", "country": "IRQ"})], language="ar"),
        pred_doc("en1", [predicted_event("PROTEST", mode="demonstrate", location=BAGHDAD)]),
        pred_doc("neg", []),
    ])
    return gold, predictions


def test_cli_scores_predictions(tmp_path: Path) -> None:
    gold, predictions = _files(tmp_path)
    result = CliRunner().invoke(main, ["eval", str(gold), "--predictions", str(predictions)])
    assert result.exit_code == 0, result.output
    assert "HEADLINE core full F1 = 0.500" in result.output
    assert "ar " in result.output and "en " in result.output

    result = CliRunner().invoke(main, ["eval", str(gold), "-p", str(predictions), "--format", "json", "--errors"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["headline"]["core_full_f1"] == 0.5
    assert record["by_language"]["ar"]["levels"]["full"]["core"]["f1"] == 1.0
    (error,) = record["errors"]
    assert error["kind"] == "full" and error["document"] == "en1" and "place" in error["fields"]

    result = CliRunner().invoke(main, ["eval", str(gold), "-p", str(predictions), "--errors"])
    assert "en1 [en] FULL FAIL PROTEST/demonstrate" in result.output
    assert "place: Baghdad" in result.output


def test_cli_incidents_file(tmp_path: Path) -> None:
    gold, predictions = _files(tmp_path)
    incidents = write_jsonl(tmp_path / "inc.jsonl", [{"id": "ar1", "event": 0, "incident": "i1"}])
    result = CliRunner().invoke(main, ["eval", str(gold), "-p", str(predictions), "--incidents", str(incidents)])
    assert result.exit_code == 0, result.output
    assert "fusion (same incident" in result.output


def test_cli_usage_and_bad_input(tmp_path: Path) -> None:
    gold, predictions = _files(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["eval", str(gold)]).exit_code == 2
    assert runner.invoke(main, ["eval", "a", "b", "-p", str(predictions)]).exit_code == 2
    broken = tmp_path / "broken.jsonl"
    broken.write_text(predictions.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    result = runner.invoke(main, ["eval", str(gold), "-p", str(broken)])
    assert result.exit_code == 1
    assert "broken.jsonl:line 4: not JSON" in result.output
    result = runner.invoke(main, ["eval", str(tmp_path / "nope.jsonl"), "-p", str(predictions)])
    assert result.exit_code == 1 and "cannot read" in result.output
    twice = write_jsonl(tmp_path / "twice.jsonl", [gold_doc("x", []), gold_doc("x", [])])
    with pytest.raises(EvalInputError, match="appears twice"):
        load_gold(twice)
    no_type = write_jsonl(tmp_path / "notype.jsonl", [gold_doc("x", [{"date": None}])])
    with pytest.raises(EvalInputError, match="line 1: event 0 has no `type`"):
        load_gold(no_type)


def test_docs_are_read_and_run_through_a_pipeline(tmp_path: Path) -> None:
    """DOCS mode: documents are read with rasd.ingest and handed to the pipeline."""
    from rasd.event import DocumentResult, Event, EventDate
    from rasd.evaluate.run import predict_records

    docs = write_jsonl(tmp_path / "docs.jsonl", [{"id": "d1", "url": None, "text": "A text."},
                                                 {"id": "d2", "url": None, "text": "Another."}])

    class FakePipeline:
        def run(self, items, workers=1):
            for item in items:
                yield DocumentResult(id=item.label, events=[Event(type="ASSAULT", date=EventDate("2021-11-07", None, "day"))])

    records = list(predict_records(docs, pipeline=FakePipeline()))
    assert [r["id"] for r in records] == ["d1", "d2"]
    predicted = [prediction_from_record(r) for r in records]
    report = evaluate([gold_from_record(gold_doc("d1", [gold_event(location=None)]))], predicted)
    assert counts(report, "full") == (1, 0, 0)
    with pytest.raises(EvalInputError, match="no such file"):
        list(predict_records(tmp_path / "missing.jsonl", pipeline=FakePipeline()))


# --- the real examples: the gold scored against itself --------------------------------------


@pytest.mark.parametrize("name", ["examples/kadhimi-drone.gold.jsonl", "eval/dev.gold.jsonl"])
def test_gold_against_itself_is_perfect(shared_dir: Path, name: str, tmp_path: Path) -> None:
    gold_path = shared_dir / name
    records = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    predictions = write_jsonl(tmp_path / "pred.jsonl", [gold_as_prediction_record(r) for r in records])
    result = CliRunner().invoke(main, ["eval", str(gold_path), "-p", str(predictions), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    overall = record["overall"]
    assert record["headline"]["core_full_f1"] == 1.0
    for level in ("type", "strict", "full"):
        assert overall["levels"][level]["all"]["f1"] == 1.0
    assert overall["relevance"]["f1"] == 1.0
    assert overall["published"]["accuracy"] == 1.0
    assert all(f["accuracy"] in (1.0, None) for f in overall["fields"]["all"].values())


def test_attribute_free_baseline_scores_zero_beyond_type(shared_dir: Path) -> None:
    """Sanity: a system that gets every type right but no date or place (like a keyword
    baseline) is perfect at the type level and near zero at the full level."""
    gold_path = shared_dir / "eval" / "dev.gold.jsonl"
    gold = load_gold(gold_path)
    bare = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        record = gold_as_prediction_record(json.loads(line))
        record["events"] = [{"type": e["type"], "background": e["background"]} for e in record["events"]]
        bare.append(prediction_from_record(record))
    report = evaluate(gold, bare)
    assert report.overall.f1("type", "core") == 1.0
    assert report.headline < 0.05
    empty = evaluate(gold, [])
    assert empty.overall.f1("type", "all") == 0.0 and empty.overall.relevance.recall == 0.0


def test_load_predictions_reads_extract_output(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [pred_doc("x", [predicted_event(location=BAGHDAD)])])
    (document,) = load_predictions(path)
    (event,) = document.events
    assert event.place is not None and event.place.name == "Baghdad" and event.date is not None
    assert event.evidence == "predicted evidence"


def test_incident_ids_carried_by_predictions_are_scored(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "g.jsonl", [gold_doc("a", [gold_event()]), gold_doc("b", [gold_event()])])
    predictions = write_jsonl(tmp_path / "p.jsonl", [
        pred_doc(doc, [predicted_event(location=BAGHDAD) | {"incident": "inc-1"}]) for doc in ("a", "b")
    ])
    result = CliRunner().invoke(main, ["eval", str(gold), "-p", str(predictions), "--format", "json"])
    assert result.exit_code == 0, result.output
    fusion = json.loads(result.output)["fusion"]
    assert (fusion["tp"], fusion["fp"], fusion["fn"], fusion["incidents"]) == (1, 0, 0, 1)
