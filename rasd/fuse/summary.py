"""An incident's headline fields, from its member reports.

Conflicting figures are kept per source (each member event keeps its own); the incident
shows the range, with the most conservative figure as the headline (ACLED's practice).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rasd.store.schema import EventRow, IncidentRow, utcnow

_PRECISION_RANK = {"site": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4, None: 5}


def _most_common(values: Sequence[Any]) -> Any:
    present = [v for v in values if v is not None]
    if not present:
        return None
    counts = Counter(present)
    best = max(counts.values())
    return min((v for v in counts if counts[v] == best), key=str)  # deterministic tie-break


def _actor(rows: Sequence[EventRow], which: str) -> dict[str, Any] | None:
    name = _most_common([getattr(r, f"{which}_name") for r in rows])
    if name is None:
        return None
    row = next(r for r in rows if getattr(r, f"{which}_name") == name)
    return {
        "name": name,
        "sector": getattr(row, f"{which}_sector"),
        "country": getattr(row, f"{which}_country"),
    }


def summarise(incident: IncidentRow, members: Sequence[EventRow]) -> None:
    """Fill `incident` from its member event rows (ordered by id for determinism)."""
    rows = sorted(members, key=lambda r: r.id)
    incident.type = _most_common([r.type for r in rows])
    incident.mode = _most_common([r.mode for r in rows if r.type == incident.type])
    typed = [r for r in rows if r.type == incident.type]
    incident.acled_event_type = _most_common([r.acled_event_type for r in typed])
    incident.acled_sub_event_type = _most_common([r.acled_sub_event_type for r in typed])
    incident.date_start = _most_common([r.date_start for r in rows])
    dated = [r for r in rows if r.date_start == incident.date_start]
    incident.date_end = _most_common([r.date_end for r in dated])
    incident.date_precision = _most_common([r.date_precision for r in dated])
    best = min(_PRECISION_RANK.get(r.location_precision, 5) for r in rows)
    located = [r for r in rows if _PRECISION_RANK.get(r.location_precision, 5) == best]
    place = _most_common([r.location_name for r in located])
    anchor = next((r for r in located if r.location_name == place), rows[0])
    incident.country = _most_common([r.country for r in rows])
    incident.admin1 = anchor.admin1
    incident.location_name = anchor.location_name
    incident.lat, incident.lon = anchor.lat, anchor.lon
    incident.location_precision = anchor.location_precision
    fatalities = [r.fatalities for r in rows if r.fatalities is not None]
    injured = [r.injured for r in rows if r.injured is not None]
    incident.fatalities = min(fatalities) if fatalities else None
    incident.fatalities_max = max(fatalities) if fatalities else None
    incident.injured = min(injured) if injured else None
    incident.injured_max = max(injured) if injured else None
    incident.actor1 = _actor(rows, "actor1")
    incident.actor2 = _actor(rows, "actor2")
    incident.n_events = len(rows)
    incident.n_documents = len({r.document_id for r in rows})
    incident.languages = sorted({r.language for r in rows if r.language})
    incident.updated_at = utcnow()
