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
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import StringConstraints
from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import load_only
from starlette.exceptions import HTTPException as StarletteHTTPException

from rasd import taxonomy
from rasd.export.formats import write_geojson
from rasd.export.records import event_records, incident_records
from rasd.serve.models import (
    DocumentOut,
    ErrorOut,
    EventPage,
    IncidentDetail,
    IncidentPage,
    IngestIn,
    IngestOut,
    Stats,
)
from rasd.store.database import Database, StoreError
from rasd.store.query import Filter, FilterError, Near, Page, events_query, find_events, find_incidents, parse_date
from rasd.store.schema import DocumentRow, EventRow, IncidentRow

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 5 * 1024 * 1024
FILTER_PARAMS = {
    "country", "type", "acled_type", "since", "until", "text", "near", "km", "min_fatalities",
    "language", "updated_since", "background", "limit", "cursor", "format",
}
BAD_REQUEST: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad request: unknown parameter or malformed value"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {**BAD_REQUEST, 404: {"model": ErrorOut, "description": "No such id"}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **BAD_REQUEST,
    401: {"model": ErrorOut, "description": "Missing or wrong bearer token"},
    403: {"model": ErrorOut, "description": "Writing is off (RASD_TOKEN not set)"},
    413: {"model": ErrorOut, "description": f"Body over {MAX_BODY_BYTES} bytes"},
}
LIST_CONTENT: dict[int | str, dict[str, Any]] = {
    **BAD_REQUEST,
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/geo+json": {"schema": {"type": "object"}},
        }
    },
}


class ApiError(HTTPException):
    """A 4xx with a message for the user."""


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _only(allowed: set[str]) -> Callable[[Request], None]:
    def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ApiError(400, f"unknown parameter(s): {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")
        # PostgreSQL refuses NUL in text (a 500 if it got that far); no real value contains one.
        for name, value in [*request.query_params.multi_items(), *request.path_params.items()]:
            if "\x00" in str(value):
                raise ApiError(400, f"{name}: NUL characters are not allowed")

    return check


# Repeatable filters: each value is bounded, and so is their number.
MAX_REPEAT = 50
Item3 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]  # ISO 3166-1 alpha-3
Item8 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,4})?$")]  # ar, en, ar-IQ
# PLOVER and ACLED types are closed vocabularies (rasd.taxonomy): unknown ones are a 400.
PloverType = Literal[tuple(taxonomy.types())]  # type: ignore[valid-type]
AcledType = Literal[tuple(sorted(taxonomy.acled_event_types()))]  # type: ignore[valid-type]
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
TIMESTAMP_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$"
NEAR_PATTERN = r"^ *-?[0-9]+(\.[0-9]+)? *, *-?[0-9]+(\.[0-9]+)? *$"


def list_filter(
    country: Annotated[list[Item3] | None, Query(description="ISO3 country code (repeatable)", max_length=MAX_REPEAT)] = None,
    type: Annotated[list[PloverType] | None, Query(description="PLOVER type (repeatable)", max_length=MAX_REPEAT)] = None,  # noqa: A002
    acled_type: Annotated[list[AcledType] | None, Query(description="ACLED event type (repeatable)", max_length=MAX_REPEAT)] = None,
    since: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD", pattern=DATE_PATTERN)] = None,
    until: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)", pattern=DATE_PATTERN)] = None,
    text: Annotated[str | None, Query(description="words in the evidence, Arabic or English", max_length=200)] = None,
    near: Annotated[str | None, Query(description="LAT,LON", max_length=40, pattern=NEAR_PATTERN)] = None,
    km: Annotated[float, Query(gt=0, le=20000)] = 50.0,
    min_fatalities: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
    language: Annotated[list[Item8] | None, Query(description="language code (repeatable)", max_length=MAX_REPEAT)] = None,
    updated_since: Annotated[str | None, Query(description="ISO 8601 timestamp, e.g. 2021-11-07T00:00:00Z "
                                                   "(UTC when it has no offset)", pattern=TIMESTAMP_PATTERN)] = None,
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
            updated_since=_timestamp(updated_since) if updated_since else None,
            include_background=background,
        )
    except FilterError as error:
        raise ApiError(400, str(error)) from error


def _timestamp(text: str) -> dt.datetime:
    """A naive UTC timestamp (how `updated_at` is stored); a zone-less input is taken as UTC."""
    try:
        moment = dt.datetime.fromisoformat(text)
        return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment
    except (ValueError, OverflowError) as error:
        raise ApiError(400, f"updated_since: {text!r} is not a timestamp (e.g. 2021-11-07T00:00:00Z)") from error


def page_params(
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
) -> Page:
    return Page(limit=limit, after=cursor)


FormatParam = Annotated[str, Query(pattern="^(json|csv|geojson)$")]


def _reading(request: Request) -> ContextManager[OrmSession]:
    """A session for one request, opened and closed inside the endpoint. Not a dependency with
    `yield` on purpose: that holds its connection until the answer has been serialised, which
    for sync endpoints needs a free worker thread; under load every worker thread can be waiting
    for a connection while every connection waits for a thread (a deadlock until the pool's
    timeout, then 500s)."""
    return request.app.state.database.transaction()


def _event_records(s: OrmSession, rows: list[EventRow]) -> list[dict[str, Any]]:
    """The flat records of these events, their documents first loaded in one query (only the
    columns the records use), so that each event's `document` is found in the session instead
    of being loaded one by one. The list keeps those rows alive: a session holds them weakly."""
    ids = sorted({row.document_id for row in rows})
    light = load_only(DocumentRow.id, DocumentRow.origin, DocumentRow.url, DocumentRow.source_domain)
    documents = list(s.scalars(select(DocumentRow).options(light).where(DocumentRow.id.in_(ids)))) if ids else []
    records = list(event_records(s, rows))
    del documents
    return records


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
    app.state.img_sources = ["'self'", "data:"]  # the page adds a tile server's origin if one is set

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}"
            for e in error.errors()
        )
        return _error(400, problems or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail), error.headers)  # e.g. Allow on a 405

    @app.exception_handler(StoreError)
    async def _store(request: Request, error: StoreError) -> JSONResponse:
        log.error("%s %s: %s", request.method, request.url.path, error)
        return _error(503, "the database is not available right now; try again later")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=error)
        return _error(500, "internal error (logged on the server)")

    from rasd.serve.cache import CachedGets, ResponseCache, data_version
    from rasd.serve.headers import SecurityHeaders

    app.state.cache = ResponseCache(lambda: data_version(app.state.database))
    app.add_middleware(CachedGets, cache=app.state.cache, prefixes=("/events", "/incidents", "/documents/", "/stats"))
    app.add_middleware(SecurityHeaders, img_sources=app.state.img_sources)  # outermost: every answer

    @app.get("/events", response_model=EventPage, responses=LIST_CONTENT,
             dependencies=[Depends(_only(FILTER_PARAMS))], summary="Events matching the filters")
    def events(request: Request, flt: Annotated[Filter, Depends(list_filter)],
               page: Annotated[Page, Depends(page_params)], format: FormatParam = "json") -> Any:  # noqa: A002
        with _reading(request) as s:  # closed before the answer is serialised (see _reading)
            result = find_events(s, flt, page)
            return _render(_event_records(s, result.rows), format, {"next_cursor": result.next_cursor})

    @app.get("/incidents", response_model=IncidentPage, responses=LIST_CONTENT,
             dependencies=[Depends(_only(FILTER_PARAMS))], summary="Incidents matching the filters")
    def incidents(request: Request, flt: Annotated[Filter, Depends(list_filter)],
                  page: Annotated[Page, Depends(page_params)], format: FormatParam = "json") -> Any:  # noqa: A002
        with _reading(request) as s:  # closed before the answer is serialised (see _reading)
            result = find_incidents(s, flt, page)
            return _render(list(incident_records(s, result.rows)), format, {"next_cursor": result.next_cursor})

    @app.get("/incidents/{incident_id}", response_model=IncidentDetail, responses=NOT_FOUND,
             dependencies=[Depends(_only(set()))], summary="One incident with its member events and sources")
    def incident(request: Request, incident_id: Annotated[str, Path(max_length=48)]) -> Any:
        with _reading(request) as s:  # closed before the answer is serialised (see _reading)
            row = s.get(IncidentRow, incident_id)
            if row is None:
                raise ApiError(404, f"no incident {incident_id!r}")
            members = s.scalars(select(EventRow).where(EventRow.incident_id == incident_id).order_by(EventRow.id)).all()
            documents = {m.document_id: m.document for m in members}
            return {
                "incident": next(incident_records(s, [row])),
                "events": list(event_records(s, members)),
                "sources": [
                    {"document_id": d.id, "input_id": d.input_id, "url": d.url, "source": d.source_domain or d.origin,
                     "language": d.language, "published": d.published.isoformat() if d.published else None,
                     "title": d.title}
                    for d in documents.values()
                ],
            }

    @app.get("/documents/{document_id}", response_model=DocumentOut, responses=NOT_FOUND,
             dependencies=[Depends(_only(set()))], summary="A document's text, segments and the evidence of each event")
    def document(request: Request, document_id: Annotated[str, Path(max_length=40)]) -> Any:
        with _reading(request) as s:  # closed before the answer is serialised (see _reading)
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

    @app.get("/stats", response_model=Stats, responses=BAD_REQUEST, dependencies=[Depends(_only(FILTER_PARAMS - {"limit", "cursor", "format"}))],
             summary="Counts of events by day, country and type")
    def stats(request: Request, flt: Annotated[Filter, Depends(list_filter)]) -> Any:
        with _reading(request) as s:  # closed before the answer is serialised (see _reading)
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

    @app.post("/documents", response_model=IngestOut, status_code=201, responses=WRITE_ERRORS,
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
        done = await _ingest(request.app.state.database, payload)
        request.app.state.cache.clear()
        return done

    def openapi() -> dict[str, Any]:
        """FastAPI's schema without its 422 responses: every invalid request here gets a 400."""
        if app.openapi_schema is None:
            schema = type(app).openapi(app)
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]

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
