"""Scores of predicted events against gold events (spec/gold-format.md).

Per document the events are paired (`rasd.evaluate.match.pair`); then

- **type / strict / full** precision, recall and F1, over all types and over the core types.
  A pair whose gold event is not background is a true positive at the type level; at the
  strict level only if its date and country are right (else one false positive and one false
  negative); at the full level only if its place is right too. An unpaired predicted event is a
  false positive, an unpaired non-background gold event a false negative. A pair with a
  background gold event counts nothing either way, and a missed background event costs
  nothing.
- Predicted events the extractor itself marks `background` are not scored: the extractor says
  they are history, which is what gold background events are (optional). Marking a current
  event as background therefore costs its recall.
- **accuracy on paired events** (pairs with a non-background gold event): date (where the gold
  date is knowable), country (where the gold location has one), place (where the gold has a
  location); and fatalities, injured, actor1 sector, actor2 sector, mode and ACLED sub-event
  type wherever the gold OR the prediction gives a value (both empty is not counted; one empty
  is wrong): an invented figure is as wrong as a missed one.
- **relevance**: a document is predicted relevant when it has a non-background predicted event;
  precision, recall and F1 against the gold `relevant`.
- **publication date**: over documents whose gold `published` is not null, right when the
  predicted date lies inside it at the gold precision (the event-date rule).
- all of it per language group (gold `lang`: ar, en, other) and overall.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rasd.evaluate.match import date_right, pair, verdict
from rasd.evaluate.records import LANGUAGE_GROUPS, ScoredDocument, ScoredEvent, When, parse_day
from rasd.taxonomy import is_core

LEVELS = ("type", "strict", "full")
SCOPES = ("all", "core")
FIELDS = (
    "date",
    "country",
    "place",
    "fatalities",
    "injured",
    "actor1_sector",
    "actor2_sector",
    "mode",
    "acled_sub_event_type",
)
_OPTIONAL_FIELDS = FIELDS[3:]  # scored where the gold or the prediction has a value

IncidentOf = Callable[[str, int], "str | None"] | Mapping[tuple[str, int], "str | None"]


@dataclass(slots=True)
class PRF:
    """True positives, false positives, false negatives, and what follows from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def empty(self) -> bool:
        """Nothing to count (no gold and no predicted item): the figures are undefined."""
        return not (self.tp or self.fp or self.fn)

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": None if self.tp + self.fp == 0 else round(self.precision, 4),
            "recall": None if self.tp + self.fn == 0 else round(self.recall, 4),
            "f1": None if self.empty else round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(slots=True)
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None

    def count(self, ok: bool) -> None:
        self.total += 1
        self.right += ok

    def add(self, other: "Accuracy") -> None:
        self.right += other.right
        self.total += other.total

    def to_dict(self) -> dict[str, Any]:
        value = self.value
        return {"accuracy": None if value is None else round(value, 4), "right": self.right, "n": self.total}


def _levels() -> dict[str, dict[str, PRF]]:
    return {level: {scope: PRF() for scope in SCOPES} for level in LEVELS}


def _fields() -> dict[str, dict[str, Accuracy]]:
    return {scope: {name: Accuracy() for name in FIELDS} for scope in SCOPES}


@dataclass(slots=True)
class Scores:
    """Every figure for one group of documents (all of them, or one language)."""

    documents: int = 0
    gold_events: int = 0
    gold_background: int = 0
    predicted_events: int = 0
    predicted_background: int = 0
    failed_documents: int = 0  # the pipeline gave `error` for them
    levels: dict[str, dict[str, PRF]] = field(default_factory=_levels)
    fields: dict[str, dict[str, Accuracy]] = field(default_factory=_fields)
    relevance: PRF = field(default_factory=PRF)
    published: Accuracy = field(default_factory=Accuracy)
    published_invented: int = 0  # gold says unknowable, the prediction gives a date

    def f1(self, level: str = "full", scope: str = "core") -> float:
        return self.levels[level][scope].f1

    def add(self, other: "Scores") -> None:
        self.documents += other.documents
        self.gold_events += other.gold_events
        self.gold_background += other.gold_background
        self.predicted_events += other.predicted_events
        self.predicted_background += other.predicted_background
        self.failed_documents += other.failed_documents
        for level in LEVELS:
            for scope in SCOPES:
                self.levels[level][scope].add(other.levels[level][scope])
        for scope in SCOPES:
            for name in FIELDS:
                self.fields[scope][name].add(other.fields[scope][name])
        self.relevance.add(other.relevance)
        self.published.add(other.published)
        self.published_invented += other.published_invented

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "gold_events": self.gold_events,
            "gold_background": self.gold_background,
            "predicted_events": self.predicted_events,
            "predicted_background": self.predicted_background,
            "failed_documents": self.failed_documents,
            "headline_core_full_f1": round(self.f1("full", "core"), 4),
            "levels": {
                level: {scope: prf.to_dict() for scope, prf in scopes.items()}
                for level, scopes in self.levels.items()
            },
            "fields": {
                scope: {name: acc.to_dict() for name, acc in accs.items()}
                for scope, accs in self.fields.items()
            },
            "relevance": self.relevance.to_dict(),
            "published": self.published.to_dict() | {"invented": self.published_invented},
        }


@dataclass(frozen=True, slots=True)
class Issue:
    """One thing a person should look at: a missed or invented event, or a pair that fails.

    kind: "false positive" (predicted, no gold), "false negative" (gold, not predicted),
    "strict" (paired, date or country wrong), "full" (strict right, place wrong), "fields"
    (full right, some other field wrong). `fields` maps each disagreeing field to
    (predicted value, gold value) as readable strings.
    """

    document: str
    lang: str
    kind: str
    type: str
    fields: dict[str, tuple[str, str]]
    predicted: ScoredEvent | None
    gold: ScoredEvent | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "lang": self.lang,
            "kind": self.kind,
            "type": self.type,
            "fields": {k: {"predicted": p, "gold": g} for k, (p, g) in self.fields.items()},
            "predicted_index": self.predicted.index if self.predicted else None,
            "gold_index": self.gold.index if self.gold else None,
            "predicted_evidence": self.predicted.evidence if self.predicted else None,
            "gold_evidence": self.gold.evidence if self.gold else None,
        }


# --- field comparison ----------------------------------------------------------------------


def _show(value: Any) -> str:
    return "—" if value is None else str(value)


def _show_place(event: ScoredEvent, alt: bool = False) -> str:
    place = event.place
    if place is None:
        return "—"
    where = place.name or "?"
    if alt and place.alt_names:
        where += " / " + " / ".join(place.alt_names)
    if place.country:
        where += f" ({place.country})"
    if place.lat is not None and place.lon is not None:
        where += f" [{place.lat:.2f},{place.lon:.2f}]"
    return where


def _value(event: ScoredEvent, name: str) -> Any:
    value = getattr(event, name)
    if isinstance(value, str):
        return value.casefold()
    return value


def compare(predicted: ScoredEvent, gold: ScoredEvent) -> dict[str, bool]:
    """Each field scored on this pair (see the module docstring) -> right or wrong."""
    checks = verdict(predicted, gold)
    out: dict[str, bool] = {}
    for name in ("date", "country", "place"):
        ok = getattr(checks, name)
        if ok is not None:
            out[name] = ok
    for name in _OPTIONAL_FIELDS:
        p, g = _value(predicted, name), _value(gold, name)
        if p is None and g is None:
            continue
        out[name] = p == g
    return out


def _disagreements(predicted: ScoredEvent, gold: ScoredEvent, checks: dict[str, bool]) -> dict[str, tuple[str, str]]:
    shown: dict[str, tuple[str, str]] = {}
    for name, ok in checks.items():
        if ok:
            continue
        if name == "date":
            shown[name] = (
                predicted.date.iso() if predicted.date else "—",
                gold.date.iso() if gold.date else "—",
            )
        elif name == "country":
            shown[name] = (
                _show(predicted.place.country if predicted.place else None),
                _show(gold.place.country if gold.place else None),
            )
        elif name == "place":
            shown[name] = (_show_place(predicted), _show_place(gold, alt=True))
        else:
            shown[name] = (_show(getattr(predicted, name)), _show(getattr(gold, name)))
    return shown


def summary(event: ScoredEvent) -> dict[str, tuple[str, str]]:
    """The main fields of an unpaired event, for the error listing."""
    return {
        "mode": (_show(event.mode), ""),
        "date": (event.date.iso() if event.date else "—", ""),
        "place": (_show_place(event), ""),
        "actor1": (f"{_show(event.actor1_name)} {_show(event.actor1_sector)}", ""),
        "actor2": (f"{_show(event.actor2_name)} {_show(event.actor2_sector)}", ""),
    }


# --- one document --------------------------------------------------------------------------


def language_group(gold: ScoredDocument, predicted: ScoredDocument | None) -> str:
    """ar, en or other: the gold `lang`; without one, the language the pipeline detected."""
    if gold.lang is None and predicted is not None and predicted.lang:
        return predicted.group
    return gold.group


def score_document(
    gold: ScoredDocument, predicted: ScoredDocument | None
) -> tuple[Scores, list[Issue], list[tuple[ScoredEvent, ScoredEvent]]]:
    """Scores of one document, its issues, and its pairs (predicted, gold)."""
    scores = Scores(documents=1)
    issues: list[Issue] = []
    group = language_group(gold, predicted)
    predicted_events = predicted.events if predicted else []
    scored_predicted = [e for e in predicted_events if not e.background]
    scores.gold_events = len(gold.events)
    scores.gold_background = sum(e.background for e in gold.events)
    scores.predicted_events = len(predicted_events)
    scores.predicted_background = len(predicted_events) - len(scored_predicted)
    scores.failed_documents = int(bool(predicted and predicted.error))

    pairs, extra, missed = pair(scored_predicted, gold.events)

    def count(event_type: str, level: str, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        for scope in ("all", "core") if is_core(event_type) else ("all",):
            prf = scores.levels[level][scope]
            prf.tp += tp
            prf.fp += fp
            prf.fn += fn

    for p in extra:
        for level in LEVELS:
            count(p.type, level, fp=1)
        issues.append(Issue(gold.id, group, "false positive", p.type, summary(p), p, None))
    for g in missed:
        if g.background:
            continue
        for level in LEVELS:
            count(g.type, level, fn=1)
        issues.append(Issue(gold.id, group, "false negative", g.type, summary(g), None, g))
    for p, g in pairs:
        if g.background:
            continue
        checks = compare(p, g)
        strict = checks.get("date", True) and checks.get("country", True)
        full = strict and checks.get("place", True)
        for level, ok in (("type", True), ("strict", strict), ("full", full)):
            if ok:
                count(g.type, level, tp=1)
            else:  # a failing pair is one false positive and one false negative
                count(g.type, level, fp=1, fn=1)
        for scope in ("all", "core") if is_core(g.type) else ("all",):
            for name, ok in checks.items():
                scores.fields[scope][name].count(ok)
        wrong = _disagreements(p, g, checks)
        if wrong:
            kind = "strict" if not strict else "full" if not full else "fields"
            issues.append(Issue(gold.id, group, kind, g.type, wrong, p, g))

    predicted_relevant = bool(scored_predicted)
    scores.relevance = PRF(
        tp=int(predicted_relevant and bool(gold.relevant)),
        fp=int(predicted_relevant and not gold.relevant),
        fn=int(not predicted_relevant and bool(gold.relevant)),
    )
    if gold.published:
        gold_day = parse_day(gold.published)
        predicted_day = parse_day(predicted.published) if predicted and predicted.published else None
        if gold_day is not None:
            ok = predicted_day is not None and date_right(
                When(predicted_day[0], None, predicted_day[1]), When(gold_day[0], None, gold_day[1])
            )
            scores.published.count(ok)
    elif predicted and predicted.published:
        scores.published_invented = 1
    return scores, issues, pairs


# --- a whole set ---------------------------------------------------------------------------


@dataclass(slots=True)
class Report:
    """The result of `evaluate`: overall and per-language scores, issues, fusion."""

    overall: Scores
    by_language: dict[str, Scores]
    issues: list[Issue]
    missing_predictions: list[str]  # gold documents with no prediction line (scored as empty)
    unknown_predictions: list[str]  # prediction lines with no gold document (ignored)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (document, pipeline error)
    fusion: Any = None  # rasd.evaluate.fusion.FusionScore when an incident mapping was given

    @property
    def headline(self) -> float:
        """Core full F1: the one number."""
        return self.overall.f1("full", "core")

    def to_dict(self) -> dict[str, Any]:
        return {
            "headline": {"core_full_f1": round(self.headline, 4)},
            "overall": self.overall.to_dict(),
            "by_language": {lang: s.to_dict() for lang, s in self.by_language.items()},
            "fusion": self.fusion.to_dict() if self.fusion is not None else None,
            "missing_predictions": self.missing_predictions,
            "unknown_predictions": self.unknown_predictions,
            "failures": [{"document": d, "error": e} for d, e in self.failures],
        }


def evaluate(
    gold: Iterable[ScoredDocument],
    predictions: Iterable[ScoredDocument],
    incident_of: IncidentOf | None = None,
) -> Report:
    """Score `predictions` against `gold` (matched by document id).

    A gold document without a prediction is scored as if nothing was predicted for it.
    `incident_of` is the fusion hook: given (document id, index of the event in that
    document's predicted `events`) it names the incident the event was fused into (None when
    unfused); with it the report carries the fusion score (`rasd.evaluate.fusion`).
    """
    gold = list(gold)
    by_id = {p.id: p for p in predictions}
    gold_ids = {g.id for g in gold}
    overall = Scores()
    by_language = {lang: Scores() for lang in LANGUAGE_GROUPS}
    issues: list[Issue] = []
    all_pairs: dict[str, list[tuple[ScoredEvent, ScoredEvent]]] = {}
    for document in gold:
        predicted = by_id.get(document.id)
        scores, doc_issues, pairs = score_document(document, predicted)
        overall.add(scores)
        by_language[language_group(document, predicted)].add(scores)
        issues.extend(doc_issues)
        all_pairs[document.id] = pairs
    report = Report(
        overall=overall,
        by_language=by_language,
        issues=issues,
        missing_predictions=[g.id for g in gold if g.id not in by_id],
        unknown_predictions=[i for i in by_id if i not in gold_ids],
        failures=[(g.id, p.error) for g in gold if (p := by_id.get(g.id)) and p.error],
    )
    if incident_of is not None:
        from rasd.evaluate.fusion import fusion_from_pairs

        report.fusion = fusion_from_pairs(all_pairs, incident_of)
    return report
