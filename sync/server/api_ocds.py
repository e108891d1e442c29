"""Public OCDS publication (no login): approved entries only, built with the app's release builder.

* ``GET /ocds/releases?cursor=&limit=&since=`` — a release package, one release per approved entry in
  the order they were approved; ``links.next`` while there is more; ``since`` (a date or date-time)
  keeps entries approved at or after it.
* ``GET /ocds/records/{ocid}`` — a record package: the process's releases and its compiled release
  (ocdsmerge with the project's schema, offline).
* ``GET /ocds/bulk/{year}.json`` — every approved release whose date falls in ``year``.
* ``GET /ocds/documents/{sha256}`` — a document of an approved entry (404 for anything else).
* ``GET /`` — a small page in Bahasa Indonesia listing the published processes, with search.

Nothing that is not approved is read here: every query names ``status = 'approved'``.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from sqlalchemy import and_, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from odc_desktop.domain.ocds.packages import WIB
from odc_desktop.domain.ocds.release import record_package, release_package
from odc_sync.server.api_files import attachment_path
from odc_sync.server.app import ApiError, config_of
from odc_sync.server.models import Decision
from odc_sync.server.models import Entry as EntryRow
from odc_sync.server.publication import STATUS_APPROVED, ServerForms, approved_rows, build, payload_of, process_of

router = APIRouter(tags=["publication"])
JSON_HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=60"}


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _since(text: str | None) -> str | None:
    """``since`` as the stored UTC form (``YYYY-MM-DDTHH:MM:SS.ffffffZ``); a bad value is a 400."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ApiError("bad_request", detail="since") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WIB)
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _releases_of(session: Session, forms: ServerForms, rows: list[EntryRow], base: str) -> list[dict[str, Any]]:
    """The releases of ``rows`` (approved), each built with every approved entry of its process."""
    built: dict[str, Any] = {}
    releases = []
    for row in rows:
        if row.ocid not in built:
            built[row.ocid] = build(session, forms, approved_rows(session, row.ocid), base)
        if row.id in built[row.ocid].releases:
            releases.append(built[row.ocid].releases[row.id])
    return releases


def _json(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, headers=JSON_HEADERS)


def _release_page(request: Request, cursor: int, limit: int, since: str | None) -> dict[str, Any]:
    config = config_of(request)
    base = _base(request)
    query = (select(Decision.change_seq, EntryRow)
             .join(EntryRow, and_(EntryRow.entry_uid == Decision.entry_uid, EntryRow.revision == Decision.revision))
             .where(Decision.decision == "approve", EntryRow.status == STATUS_APPROVED, Decision.change_seq > cursor))
    if since:
        query = query.where(Decision.decided_at >= since)
    with Session(config.engine) as session:
        found = session.execute(query.order_by(Decision.change_seq).limit(limit + 1)).all()
        page = found[:limit]
        releases = _releases_of(session, ServerForms(config.data_dir), [row for _seq, row in page], base)
    params = {"limit": limit, **({"since": request.query_params["since"]} if since else {})}
    package = release_package(releases, dt.datetime.now(WIB), uri=f"{base}/ocds/releases?{urlencode(params)}")
    if len(found) > limit:
        package["links"] = {"next": f"{base}/ocds/releases?{urlencode({**params, 'cursor': page[-1][0]})}"}
    return package


@router.get("/ocds/releases", summary="Release package of approved entries (paged: links.next; since=)")
async def get_releases(request: Request, cursor: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1000),
                       since: str | None = Query(None, max_length=40)) -> JSONResponse:
    return _json(await run_in_threadpool(_release_page, request, cursor, limit, _since(since)))


def _record(request: Request, ocid: str) -> dict[str, Any]:
    config = config_of(request)
    base = _base(request)
    with Session(config.engine) as session:
        rows = approved_rows(session, ocid)
        if not rows:
            raise ApiError("not_found")
        releases = list(build(session, ServerForms(config.data_dir), rows, base).releases.values())
    if not releases:
        raise ApiError("not_found")
    return record_package(releases, dt.datetime.now(WIB), uri=f"{base}/ocds/records/{quote(ocid)}")


@router.get("/ocds/records/{ocid}", summary="Record package of one process: releases and compiledRelease")
async def get_record(ocid: str, request: Request) -> JSONResponse:
    return _json(await run_in_threadpool(_record, request, ocid))


def _bulk(request: Request, year: int) -> dict[str, Any]:
    config = config_of(request)
    base = _base(request)
    with Session(config.engine) as session:
        # Stored times are UTC, release dates WIB (UTC+7): the last hours of the year before may count.
        rows = list(session.execute(select(EntryRow).where(EntryRow.status == STATUS_APPROVED,
                                                           EntryRow.accepted_at >= f"{year - 1:04d}-12-31",
                                                           EntryRow.accepted_at < f"{year + 1:04d}-01-01")
                                    .order_by(EntryRow.accepted_at, EntryRow.id)).scalars())
        releases = [r for r in _releases_of(session, ServerForms(config.data_dir), rows, base)
                    if r["date"].startswith(f"{year:04d}-")]
    return release_package(releases, dt.datetime.now(WIB), uri=f"{base}/ocds/bulk/{year}.json")


@router.get("/ocds/bulk/{year}.json", summary="Every approved release of one year (release package)")
async def get_bulk(year: int, request: Request) -> JSONResponse:
    if not 2000 <= year <= 2999:
        raise ApiError("not_found")
    return _json(await run_in_threadpool(_bulk, request, year))


def _document(request: Request, sha256: str) -> tuple[str, str, str]:
    config = config_of(request)
    with Session(config.engine) as session:
        query = select(EntryRow).where(EntryRow.status == STATUS_APPROVED, EntryRow.payload.contains(sha256))
        for row in session.execute(query.limit(20)).scalars():
            for item in payload_of(row).get("attachments") or []:
                path = attachment_path(config, sha256)
                if item["sha256"] == sha256 and path.exists():
                    return str(path), item["media_type"], item["name"]
    raise ApiError("not_found")


@router.get("/ocds/documents/{sha256}", summary="A document of an approved entry")
async def get_document(sha256: str, request: Request) -> FileResponse:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ApiError("not_found")
    path, media_type, name = await run_in_threadpool(_document, request, sha256)
    return FileResponse(path, media_type=media_type, filename=name, headers={"Access-Control-Allow-Origin": "*"})


def _processes(request: Request, q: str) -> list[dict[str, Any]]:
    config = config_of(request)
    needle = q.casefold().strip()
    by_ocid: dict[str, list[EntryRow]] = {}
    with Session(config.engine) as session:
        for row in session.execute(select(EntryRow).where(EntryRow.status == STATUS_APPROVED)
                                   .order_by(EntryRow.accepted_at, EntryRow.id)).scalars():
            by_ocid.setdefault(row.ocid, []).append(row)
        found = []
        for ocid, rows in by_ocid.items():
            process = process_of(session, rows)
            if needle and needle not in f"{ocid} {process.title} {process.opd_name}".casefold():
                continue
            documents = [item for row in rows for item in payload_of(row).get("attachments") or []]
            found.append({"ocid": ocid, "title": process.title, "opd": process.opd_name,
                          "stages": sorted({row.stage for row in rows}), "documents": documents,
                          "updated": rows[-1].accepted_at[:10]})
    return sorted(found, key=lambda p: p["updated"], reverse=True)


PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Data Terbuka Pengadaan — Kabupaten Bojonegoro</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ccc;padding:.4rem;text-align:left;
vertical-align:top}}</style></head><body>
<h1>Data Terbuka Pengadaan Kabupaten Bojonegoro</h1>
<p>Paket pengadaan yang sudah diperiksa dan disetujui, dalam Open Contracting Data Standard (OCDS) 1.1.
Unduh semua: <a href="/ocds/releases">paket rilis (JSON)</a>. Lisensi: CC BY 4.0.</p>
<form method="get" action="/"><label>Cari paket: <input type="search" name="q" value="{q}"></label>
<button type="submit">Cari</button></form>
<p>{count} paket ditemukan.</p>
<table><thead><tr><th>Paket</th><th>OPD</th><th>Tahap</th><th>Data</th><th>Dokumen</th></tr></thead>
<tbody>{rows}</tbody></table></body></html>
"""
STAGE_NAMES = {"planning": "Perencanaan", "tender": "Pemilihan", "award": "Penetapan pemenang",
               "contract": "Kontrak", "implementation": "Pelaksanaan", "completion": "Selesai"}


def _page_html(processes: list[dict[str, Any]], q: str) -> str:
    rows = []
    for p in processes:
        documents = "<br>".join(f'<a href="/ocds/documents/{d["sha256"]}">{html.escape(d["name"])}</a>'
                                for d in p["documents"]) or "—"
        stages = ", ".join(STAGE_NAMES.get(s, s) for s in p["stages"])
        rows.append(f"<tr><td>{html.escape(p['title'])}<br><small>{html.escape(p['ocid'])}</small></td>"
                    f"<td>{html.escape(p['opd'])}</td><td>{html.escape(stages)}</td>"
                    f'<td><a href="/ocds/records/{quote(p["ocid"])}">Rekaman (JSON)</a></td><td>{documents}</td></tr>')
    return PAGE.format(q=html.escape(q), count=len(processes), rows="\n".join(rows))


@router.get("/", response_class=HTMLResponse, summary="Public page: published processes with search")
async def get_index(request: Request, q: str = Query("", max_length=200)) -> HTMLResponse:
    processes = await run_in_threadpool(_processes, request, q)
    return HTMLResponse(_page_html(processes, q))
