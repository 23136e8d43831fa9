"""Alerts: find the incidents a rule matches, send each once, again only when its figures change.

An alert is remembered per rule action and per member event of the incident (rasd.watch.
state), with a hash of the figures it carried. Remembering members rather than the
incident id keeps an incident "already alerted" when a later report merges into it and
its id changes; a new member that changes no figure changes nothing; a new figure
(more dead, more injured) sends an "updated" alert. Each action is remembered on its own,
so a webhook that was down is tried again next cycle without repeating the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from rasd.store.database import Database
from rasd.store.schema import DocumentRow, EventRow, IncidentRow
from rasd.watch import state
from rasd.watch.rules import Action, Rule

log = logging.getLogger(__name__)
alert_log = logging.getLogger("rasd.alerts")  # where "log" actions go

FIGURES = ("fatalities", "fatalities_max", "injured", "injured_max")


def figures_hash(incident: IncidentRow) -> str:
    values = [getattr(incident, name) for name in FIGURES]
    return hashlib.sha1(json.dumps(values).encode()).hexdigest()[:16]


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def payload(rule: Rule, kind: str, incident: IncidentRow, sources: Sequence[str]) -> dict[str, Any]:
    """The JSON an alert carries (webhook body, stdout line, log message)."""
    return {
        "rule": rule.name,
        "kind": kind,  # "new" or "updated"
        "incident": {
            "id": incident.id,
            "type": incident.type,
            "mode": incident.mode,
            "acled_event_type": incident.acled_event_type,
            "acled_sub_event_type": incident.acled_sub_event_type,
            "date_start": _iso(incident.date_start),
            "date_end": _iso(incident.date_end),
            "country": incident.country,
            "admin1": incident.admin1,
            "location": incident.location_name,
            "lat": incident.lat,
            "lon": incident.lon,
            "fatalities": incident.fatalities,
            "fatalities_max": incident.fatalities_max,
            "injured": incident.injured,
            "injured_max": incident.injured_max,
            "actor1": incident.actor1,
            "actor2": incident.actor2,
            "n_events": incident.n_events,
            "n_documents": incident.n_documents,
            "languages": incident.languages,
        },
        "sources": list(sources),
        "sent_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


@dataclass(slots=True)
class AlertCounts:
    sent: int = 0
    failed: int = 0  # deliveries that did not go out (tried again next cycle)
    examined: int = 0  # incidents looked at


@dataclass
class Notifier:
    """Delivers alerts. `stdout` is where "stdout" actions write (the CLI's standard output)."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    _client: Any = None

    def deliver(self, action: Action, alert: dict[str, Any]) -> bool:
        """True when the alert went out; a failure is logged, never raised."""
        line = json.dumps(alert, ensure_ascii=False, separators=(",", ":"))
        if action.type == "stdout":
            self.stdout.write(line + "\n")
            self.stdout.flush()
            return True
        if action.type == "log":
            alert_log.log(action.level, "alert %s: %s", alert["rule"], line)
            return True
        return self._post(action, line)

    def _post(self, action: Action, body: str) -> bool:
        import httpx

        if self._client is None:
            from rasd.ingest.fetch import default_user_agent

            self._client = httpx.Client(headers={"User-Agent": default_user_agent()}, follow_redirects=False)
        headers = {"Content-Type": "application/json; charset=utf-8", **dict(action.headers)}
        try:
            response = self._client.post(action.url, content=body.encode("utf-8"), headers=headers, timeout=action.timeout)
        except httpx.HTTPError as error:
            log.warning("webhook %s: %s: %s (will try again next cycle)", action.url, type(error).__name__, error)
            return False
        if response.status_code >= 300:
            log.warning("webhook %s answered HTTP %d (will try again next cycle)", action.url, response.status_code)
            return False
        return True

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def check(database: Database, rules: Sequence[Rule], notifier: Notifier, since: dt.datetime | None) -> AlertCounts:
    """Send the alerts due for incidents updated since `since` (all incidents if None)."""
    counts = AlertCounts()
    if not rules:
        return counts
    with database.transaction() as session:
        query = select(IncidentRow).order_by(IncidentRow.id)
        if since is not None:
            query = query.where(IncidentRow.updated_at >= since)
        incidents = list(session.scalars(query))
    for incident in incidents:
        counts.examined += 1
        matching = [rule for rule in rules if rule.matches(incident)]
        if matching:
            with database.transaction() as session:
                _alert(session, incident, matching, notifier, counts)
    return counts


def _alert(session: Session, incident: IncidentRow, rules: Sequence[Rule], notifier: Notifier, counts: AlertCounts) -> None:
    members = list(session.scalars(select(EventRow.id).where(EventRow.incident_id == incident.id)))
    figures = figures_hash(incident)
    sources: list[str] | None = None
    for rule in rules:
        for index, action in enumerate(rule.actions):
            prefix = state.alert_prefix(rule.name, index)
            before = state.alerted_figures(session, prefix, members)
            if figures in before:
                continue
            if sources is None:
                sources = _sources(session, incident.id)
            alert = payload(rule, "updated" if before else "new", incident, sources)
            if notifier.deliver(action, alert):
                state.record_alert(session, prefix, members, figures)
                counts.sent += 1
                log.info("alert %s (%s) for %s via %s", rule.name, alert["kind"], incident.id, action.describe())
            else:
                counts.failed += 1


def _sources(session: Session, incident_id: str) -> list[str]:
    rows = session.execute(
        select(DocumentRow.url, DocumentRow.origin)
        .join(EventRow, EventRow.document_id == DocumentRow.id)
        .where(EventRow.incident_id == incident_id)
        .distinct()
    )
    return sorted({url or origin for url, origin in rows})
