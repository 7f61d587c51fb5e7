"""The API's documentation pages, served with their scripts and styles from this server: the
Swagger UI and ReDoc assets come from the fastapi-offline package (MIT), so /docs and /redoc
work on a machine without the internet (FastAPI's own pages load them from a CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from taxonomy.extras import require

ASSETS = "/docs-static"


def install(app: FastAPI) -> None:
    """Add /docs, /redoc and their assets (the app is made with docs_url=None, redoc_url=None)."""
    offline = require("fastapi_offline", "api", "the API documentation pages")
    app.mount(ASSETS, StaticFiles(directory=Path(str(offline.__file__)).parent / "static"), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def swagger_page() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} API",
                                   swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{ASSETS}/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    def redoc_page() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title=f"{app.title} API",
                              redoc_js_url=f"{ASSETS}/redoc.standalone.js",
                              redoc_favicon_url=f"{ASSETS}/favicon.png", with_google_fonts=False)
