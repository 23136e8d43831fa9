"""evaluate: score rasd's events against gold annotations (spec/gold-format.md).

    >>> from rasd.evaluate import load_gold, load_predictions, evaluate, render_text
    >>> report = evaluate(load_gold("dev.gold.jsonl"), load_predictions("dev.pred.jsonl"))
    >>> report.headline                      # core full F1
    >>> report.overall.levels["type"]["all"].f1, report.by_language["ar"].f1("full", "core")
    >>> print(render_text(report))

Modules: `records` (reading gold and prediction lines), `match` (the date/country/place rules
and the greedy pairing), `score` (P/R/F1 at three levels, field accuracy, relevance,
publication date, per language), `fusion` (the pairwise "same incident" score), `report`
(text tables and the error listing), `run` (predictions from a DOCS file via the pipeline).
"""

from __future__ import annotations

from rasd.evaluate.fusion import FusionScore, fusion_score, incidents_from_predictions, load_incidents
from rasd.evaluate.records import (
    EvalInputError,
    ScoredDocument,
    ScoredEvent,
    gold_as_prediction_record,
    gold_from_record,
    load_gold,
    load_predictions,
    prediction_from_record,
)
from rasd.evaluate.report import render_errors, render_text
from rasd.evaluate.score import PRF, Accuracy, Issue, Report, Scores, evaluate

__all__ = [
    "PRF",
    "Accuracy",
    "EvalInputError",
    "FusionScore",
    "Issue",
    "Report",
    "ScoredDocument",
    "ScoredEvent",
    "Scores",
    "evaluate",
    "fusion_score",
    "gold_as_prediction_record",
    "gold_from_record",
    "incidents_from_predictions",
    "load_gold",
    "load_incidents",
    "load_predictions",
    "prediction_from_record",
    "render_errors",
    "render_text",
]
