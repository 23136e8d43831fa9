"""The HTTP API: events, incidents, documents and statistics, with the CLI's filters.

Read-only unless a bearer token is configured (RASD_TOKEN): then `POST /documents` ingests.
Every bad request gets a 4xx with a JSON message — unknown parameters, malformed dates,
out-of-range limits, oversized or non-UTF-8 bodies — never a 500 or a stack trace.
"""

from __future__ import annotations

import csv
import datetime as dt
import hmac
import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession
from starlette.exceptions import HTTPException as StarletteHTTPException

from rasd.export.formats import write_geojson
from rasd.export.records import event_records, incident_records
from rasd.serve.models import (
    DocumentOut,
    EventPage,
    IncidentDetail,
    IncidentPage,
    IngestIn,
    IngestOut,
    Stats,
)
from rasd.store.database import Database
from rasd.store.query import Filter, FilterError, Near, Page, find_events, find_incidents, parse_date
from rasd.store.schema import DocumentRow, EventRow, IncidentRow

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 5 * 1024 * 1024
FILTER_PARAMS = {
    "country", "type", "acled_type", "since", "until", "text", "near", "km", "min_fatalities",
    "language", "updated_since", "background", "limit", "cursor", "format",
}
LIST_CONTENT = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/geo+json": {"schema": {"type": "object"}},
        }
    }
}


class ApiError(HTTPException):
    """A 4xx with a message for the user."""


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _only(allowed: set[str]) -> Callable[[Request], None]:
    def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ApiError(400, f"unknown parameter(s): {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")

    return check


def list_filter(
    country: Annotated[list[str] | None, Query(description="ISO3 country code (repeatable)", max_length=3)] = None,
    type: Annotated[list[str] | None, Query(description="PLOVER type (repeatable)", max_length=16)] = None,  # noqa: A002
    acled_type: Annotated[list[str] | None, Query(description="ACLED event type (repeatable)", max_length=64)] = None,
    since: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD", max_length=10)] = None,
    until: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)", max_length=10)] = None,
    text: Annotated[str | None, Query(description="words in the evidence, Arabic or English", max_length=200)] = None,
    near: Annotated[str | None, Query(description="LAT,LON", max_length=40)] = None,
    km: Annotated[float, Query(gt=0, le=20000)] = 50.0,
    min_fatalities: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
    language: Annotated[list[str] | None, Query(max_length=8)] = None,
    updated_since: Annotated[dt.datetime | None, Query(description="ISO timestamp (UTC)")] = None,
    background: bool = False,
) -> Filter:
    try:
        return Filter(
            countries=tuple(c.upper() for c in country or ()),
            types=tuple(t.upper() for t in type or ()),
            acled_event_types=tuple(acled_type or ()),
            since=parse_date(since, "since"),
            until=parse_date(until, "until", end=True),
            text=text or None,
            near=Near.parse(near, km) if near else None,
            min_fatalities=min_fatalities,
            languages=tuple(language or ()),
            updated_since=updated_since.replace(tzinfo=None) if updated_since else None,
            include_background=background,
        )
    except FilterError as error:
        raise ApiError(400, str(error)) from error


def page_params(
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
) -> Page:
    return Page(limit=limit, after=cursor)


FormatParam = Annotated[str, Query(pattern="^(json|csv|geojson)$")]


def _session(request: Request) -> Iterator[OrmSession]:
    with request.app.state.database.transaction() as session:
        yield session


Session = Annotated[OrmSession, Depends(_session)]


def _render(records: list[dict[str, Any]], fmt: str, page: dict[str, Any]) -> Any:
    if fmt == "csv":
        out = io.StringIO()
        if records:
            writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(records)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8")
    if fmt == "geojson":
        out = io.StringIO()
        write_geojson(records, out)
        return Response(out.getvalue(), media_type="application/geo+json")
    return {"items": records, **page}


def create_app(database: Database, *, token: str | None = None, page_dir: str | None = None) -> FastAPI:
    """The ASGI app over an open database. `token` enables POST /documents."""
    from fastapi_offline import FastAPIOffline

    app = FastAPIOffline(
        title="rasd",
        version="0.1.0",
        description="Political and conflict events from Arabic and English news, with evidence.",
    )
    app.state.database = database

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}"
            for e in error.errors()
        )
        return _error(400, problems or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=error)
        return _error(500, "internal error (logged on the server)")

    @app.middleware("http")
    async def _headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        script = "'self' 'unsafe-inline'" if request.url.path in ("/docs", "/redoc") else "'self'"
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.get("/events", response_model=EventPage, responses=LIST_CONTENT,
             dependencies=[Depends(_only(FILTER_PARAMS))], summary="Events matching the filters")
    def events(s: Session, flt: Annotated[Filter, Depends(list_filter)],
               page: Annotated[Page, Depends(page_params)], format: FormatParam = "json") -> Any:  # noqa: A002
        result = find_events(s, flt, page)
        return _render(list(event_records(s, result.rows)), format, {"next_cursor": result.next_cursor})

    @app.get("/incidents", response_model=IncidentPage, responses=LIST_CONTENT,
             dependencies=[Depends(_only(FILTER_PARAMS))], summary="Incidents matching the filters")
    def incidents(s: Session, flt: Annotated[Filter, Depends(list_filter)],
                  page: Annotated[Page, Depends(page_params)], format: FormatParam = "json") -> Any:  # noqa: A002
        result = find_incidents(s, flt, page)
        return _render(list(incident_records(s, result.rows)), format, {"next_cursor": result.next_cursor})

    @app.get("/incidents/{incident_id}", response_model=IncidentDetail,
             dependencies=[Depends(_only(set()))], summary="One incident with its member events and sources")
    def incident(s: Session, incident_id: Annotated[str, Path(max_length=48)]) -> Any:
        row = s.get(IncidentRow, incident_id)
        if row is None:
            raise ApiError(404, f"no incident {incident_id!r}")
        members = s.scalars(select(EventRow).where(EventRow.incident_id == incident_id).order_by(EventRow.id)).all()
        documents = {m.document_id: m.document for m in members}
        return {
            "incident": next(incident_records(s, [row])),
            "events": list(event_records(s, members)),
            "sources": [
                {"document_id": d.id, "url": d.url, "source": d.source_domain or d.origin,
                 "language": d.language, "published": d.published.isoformat() if d.published else None,
                 "title": d.title}
                for d in documents.values()
            ],
        }

    @app.get("/documents/{document_id}", response_model=DocumentOut,
             dependencies=[Depends(_only(set()))], summary="A document's text, segments and the evidence of each event")
    def document(s: Session, document_id: Annotated[str, Path(max_length=40)]) -> Any:
        row = s.get(DocumentRow, document_id)
        if row is None:
            raise ApiError(404, f"no document {document_id!r}")
        return {
            "id": row.id, "input_id": row.input_id, "url": row.url, "source": row.source_domain,
            "title": row.title, "language": row.language,
            "published": row.published.isoformat() if row.published else None,
            "published_precision": row.published_precision, "text": row.text,
            "segments": [
                {"start": g.start, "end": g.end, "kind": g.kind, "language": g.language, "post": g.post}
                for g in row.segments
            ],
            "events": [
                {**rec, "spans": [{"start": e.start, "end": e.end, "field": e.field, "text": e.text} for e in ev.evidence]}
                for ev, rec in zip(row.events, event_records(s, row.events), strict=True)
            ],
            "quotes": row.quotes or [],
        }

    @app.get("/stats", response_model=Stats, dependencies=[Depends(_only(FILTER_PARAMS - {"limit", "cursor", "format"}))],
             summary="Counts of events by day, country and type")
    def stats(s: Session, flt: Annotated[Filter, Depends(list_filter)]) -> Any:
        from rasd.store.query import events_query

        matching = events_query(flt).subquery()
        def counts(column) -> dict[str, int]:  # type: ignore[no-untyped-def]
            rows = s.execute(select(column, func.count()).group_by(column).order_by(column))
            return {str(k): n for k, n in rows if k is not None}

        return {
            "events": s.scalar(select(func.count()).select_from(matching)) or 0,
            "by_day": counts(matching.c.date_start),
            "by_country": counts(matching.c.country),
            "by_type": counts(matching.c.type),
        }

    @app.post("/documents", response_model=IngestOut, status_code=201,
              summary="Ingest documents (needs the bearer token set by RASD_TOKEN)",
              dependencies=[Depends(_only(set()))],
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": IngestIn.model_json_schema(ref_template="#/components/schemas/{model}")}}}})
    async def ingest_documents(request: Request) -> Any:  # the body is read by hand: size cap, UTF-8 check
        if not token:
            raise ApiError(403, "writing is off: start the server with RASD_TOKEN set to enable POST /documents")
        supplied = request.headers.get("authorization", "")
        if not hmac.compare_digest(supplied.encode(), f"Bearer {token}".encode()):
            raise ApiError(401, "missing or wrong bearer token")
        raw = await _read_body(request)
        try:
            payload = IngestIn.model_validate(json.loads(raw.decode("utf-8")))
        except UnicodeDecodeError as error:
            raise ApiError(400, f"the body is not UTF-8 (byte {error.start})") from error
        except ValueError as error:
            raise ApiError(400, f"the body is not a valid request: {error}") from error
        return await _ingest(database, payload)

    if page_dir:
        from rasd.serve.page import mount_page

        mount_page(app, page_dir)
    return app


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ApiError(413, f"body over {MAX_BODY_BYTES} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(413, f"body over {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def _ingest(database: Database, payload: IngestIn) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    from rasd.batch import ingest
    from rasd.document import Document

    documents = [
        Document(text=d.text, url=d.url, input_id=d.id, published_hint=d.published, origin=f"POST /documents[{i}]")
        for i, d in enumerate(payload.documents)
    ]
    report = await run_in_threadpool(ingest, database, documents, command="POST /documents")
    return {"stored": report.documents, "skipped": report.skipped, "events": report.events,
            "failed": report.failures, "ids": [d.id for d in documents]}
