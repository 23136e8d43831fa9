"""The evaluation report as a person reads it: compact tables, then (on request) each error
with the fields that disagreed and the evidence, so one can see why."""

from __future__ import annotations

from collections import Counter

from rasd.evaluate.score import FIELDS, LEVELS, PRF, Accuracy, Issue, Report, Scores

_FIELD_LABELS = {
    "date": "date",
    "country": "country",
    "place": "place",
    "fatalities": "fatalities",
    "injured": "injured",
    "actor1_sector": "actor1 sector",
    "actor2_sector": "actor2 sector",
    "mode": "mode",
    "acled_sub_event_type": "ACLED sub-event",
}
_KIND_ORDER = {"false negative": 0, "false positive": 1, "strict": 2, "full": 3, "fields": 4}
_KIND_TITLES = {
    "false negative": "FALSE NEGATIVE",
    "false positive": "FALSE POSITIVE",
    "strict": "STRICT FAIL",  # paired, but date or country wrong
    "full": "FULL FAIL",  # date and country right, place wrong
    "fields": "FIELDS WRONG",  # full right, another field wrong
}
_EVIDENCE_CHARS = 200


def _acc(acc: Accuracy) -> str:
    value = acc.value
    return f"{'  —  ' if value is None else f'{value:.3f}'} ({acc.right}/{acc.total})"


def _f1(prf: PRF) -> str:
    return "—" if prf.empty else f"{prf.f1:.3f}"


def _prf_cells(scores: Scores, level: str, scope: str) -> str:
    prf = scores.levels[level][scope]
    return f"{prf.precision:6.3f} {prf.recall:6.3f} {prf.f1:6.3f} {prf.tp:4d} {prf.fp:4d} {prf.fn:4d}"


def render_text(report: Report) -> str:
    """The report as text tables (what `rasd eval` prints)."""
    o = report.overall
    langs = " · ".join(f"{lang} {s.documents}" for lang, s in report.by_language.items() if s.documents)
    lines = [
        f"rasd eval: {o.documents} documents ({langs}), {o.failed_documents} failed",
        f"gold events {o.gold_events} ({o.gold_background} background) · "
        f"predicted events {o.predicted_events} ({o.predicted_background} marked background, not scored)",
    ]
    if report.missing_predictions:
        lines.append(f"no prediction for {len(report.missing_predictions)} documents (scored as empty)")
    if report.unknown_predictions:
        lines.append(f"{len(report.unknown_predictions)} predicted documents not in the gold (ignored)")
    head = "     P      R     F1   tp   fp   fn"
    lines += [
        "",
        f"{'events':8}{'all types':^35}  {'core types':^35}",
        f"{'level':8}{head}  {head}",
    ]
    for level in LEVELS:
        lines.append(f"{level:8}{_prf_cells(o, level, 'all')}  {_prf_cells(o, level, 'core')}")
    lines += ["", f"HEADLINE core full F1 = {report.headline:.3f}", ""]
    lines.append(f"{'paired-event accuracy':24}{'all types':>18}  {'core types':>18}")
    for name in FIELDS:
        lines.append(
            f"{_FIELD_LABELS[name]:24}{_acc(o.fields['all'][name]):>18}  {_acc(o.fields['core'][name]):>18}"
        )
    rel = o.relevance
    lines += [
        "",
        f"relevance P {rel.precision:.3f} R {rel.recall:.3f} F1 {rel.f1:.3f} "
        f"(tp {rel.tp} fp {rel.fp} fn {rel.fn}) · publication date {_acc(o.published)}"
        + (f", {o.published_invented} given where the gold has none" if o.published_invented else ""),
        "",
        f"{'by language':12}{'docs':>5}{'core type':>11}{'core strict':>12}{'core full':>11}"
        f"{'all full':>10}{'relevance':>11}{'pub date':>10}",
    ]
    for lang, s in [*report.by_language.items(), ("all", o)]:
        if not s.documents:
            continue
        pub = s.published.value
        lines.append(
            f"{lang:12}{s.documents:5d}{_f1(s.levels['type']['core']):>11}"
            f"{_f1(s.levels['strict']['core']):>12}{_f1(s.levels['full']['core']):>11}"
            f"{_f1(s.levels['full']['all']):>10}{_f1(s.relevance):>11}"
            f"{'—' if pub is None else f'{pub:.3f}':>10}"
        )
    if report.fusion is not None:
        f = report.fusion
        lines += [
            "",
            f"fusion (same incident, pairwise over {f.events} paired core events in {f.incidents} "
            f"incidents, {f.unfused} unfused): P {f.precision:.3f} R {f.recall:.3f} F1 {f.f1:.3f} "
            f"(tp {f.pairs.tp} fp {f.pairs.fp} fn {f.pairs.fn}); "
            f"incidents merging two gold days: {len(f.day_merges)}",
        ]
    return "\n".join(lines)


def _evidence(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EVIDENCE_CHARS else flat[: _EVIDENCE_CHARS - 1] + "…"


def render_issue(issue: Issue) -> str:
    """One error: what kind, which fields disagreed, and the evidence on each side."""
    mode = (issue.gold or issue.predicted).mode if (issue.gold or issue.predicted) else None
    title = f"{issue.document} [{issue.lang}] {_KIND_TITLES.get(issue.kind, issue.kind.upper())} {issue.type}" + (f"/{mode}" if mode else "")
    if issue.kind in ("false positive", "false negative"):
        detail = " · ".join(f"{name} {value}" for name, (value, _) in issue.fields.items())
    else:
        detail = "; ".join(
            f"{_FIELD_LABELS.get(name, name)}: {p} ≠ gold {g}" for name, (p, g) in issue.fields.items()
        )
    lines = [title, f"    {detail}"]
    if issue.predicted is not None:
        lines.append(f"    predicted: «{_evidence(issue.predicted.evidence)}»")
    if issue.gold is not None:
        lines.append(f"    gold:      «{_evidence(issue.gold.evidence)}»")
    return "\n".join(lines)


def render_errors(report: Report) -> str:
    """Every issue, grouped by document, misses first."""
    failed = [f"{document} FAILED: {error}" for document, error in report.failures]
    if not report.issues:
        return "\n".join([*failed, "no errors"] if failed else ["no errors"])
    kinds = Counter(issue.kind for issue in report.issues)
    head = ", ".join(f"{kinds[k]} {k}" for k in _KIND_ORDER if kinds[k])
    ordered = sorted(
        enumerate(report.issues), key=lambda ie: (ie[1].document, _KIND_ORDER.get(ie[1].kind, 9), ie[0])
    )
    return "\n".join([*failed, f"errors ({head}):", *(render_issue(issue) for _, issue in ordered)])
