"""The web page at `/`: map, timeline, filters, incident list and the evidence in each source.

The page's own files live in `web/src/` (HTML, JS modules, CSS). Its third-party files
(Leaflet, Leaflet.markercluster, topojson-client, the Natural Earth country outlines of
world-atlas) come from npm at build time: `scripts/build-page` installs the versions pinned in
`web/package-lock.json` and copies what the page uses into `web/vendor/` (gitignored). Nothing
is fetched from the internet when the page runs; a tile server is used only when the user sets
RASD_TILE_URL (and RASD_TILE_ATTRIBUTION), and the Content-Security-Policy then admits its origin.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

WEB = Path(__file__).with_name("web")
MANIFEST = "manifest.json"  # written last by scripts/build-page: the vendor folder is complete


class PageConfigError(ValueError):
    """A tile setting the page cannot use."""


def built_page_dir() -> str | None:
    """The page folder if its third-party files have been built, else None (API only)."""
    if (WEB / "vendor" / MANIFEST).is_file() and (WEB / "src" / "index.html").is_file():
        return str(WEB)
    return None


def tile_origin(url: str) -> str:
    """The CSP source for a tile URL template such as https://{s}.tile.example.org/{z}/{x}/{y}.png."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PageConfigError(f"RASD_TILE_URL must be an http(s) URL template, not {url!r}")
    if not all(key in url for key in ("{z}", "{x}", "{y}")):
        raise PageConfigError(f"RASD_TILE_URL must contain {{z}}, {{x}} and {{y}}: {url!r}")
    host = parts.netloc.replace("{s}", "*")
    if any(c in host for c in "{}; '\"") or ("*" in host and not host.startswith("*.")):
        raise PageConfigError(f"RASD_TILE_URL has a host the page cannot allow: {parts.netloc!r}")
    return f"{parts.scheme}://{host}"


def page_config() -> dict[str, str | None]:
    """What the page reads at start (GET /page-config.json): the optional tile layer."""
    url = os.environ.get("RASD_TILE_URL") or None
    if url:
        tile_origin(url)
    return {"tile_url": url, "tile_attribution": os.environ.get("RASD_TILE_ATTRIBUTION") or None}


def mount_page(app: FastAPI, page_dir: str) -> None:
    """Serve the page at `/`, its files under /static and /vendor, its settings as JSON."""
    root = Path(page_dir)
    config = page_config()
    if config["tile_url"]:
        app.state.img_sources.append(tile_origin(config["tile_url"]))  # the list the CSP is built from
    index = root / "src" / "index.html"

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(index, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})

    @app.get("/page-config.json", include_in_schema=False)
    def settings() -> JSONResponse:
        return JSONResponse(config)

    app.mount("/static", StaticFiles(directory=root / "src"), name="page-static")
    app.mount("/vendor", StaticFiles(directory=root / "vendor"), name="page-vendor")
