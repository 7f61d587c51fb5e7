"""A SPARQL client for Wikidata or any SPARQL 1.1 endpoint: retries, backoff, cache, as-of dates.

Built on SPARQLWrapper. Wikidata's User-Agent policy asks for a descriptive agent with a
contact; 429 and 503 answers carry Retry-After, which is honoured. Every answer is cached on
disk with the date it was fetched, so an import can be repeated exactly and says what it saw.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taxonomy import __version__
from taxonomy.errors import TaxonomyError
from taxonomy.extras import require
from taxonomy.files import atomic_text_file
from taxonomy.paths import user_cache_dir

WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
CONTACT_ENV = "TAXONOMY_CONTACT"
_RETRYABLE = {429, 500, 502, 503, 504}
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # the importer's batched answers are a few MB; a runaway is refused


class EndpointError(TaxonomyError):
    """The SPARQL endpoint failed: it timed out, refused, or answered something unusable."""


@dataclass(frozen=True, slots=True)
class Answer:
    """The bindings of one SELECT, and when they were fetched (UTC, ISO 8601)."""

    rows: list[dict[str, str]]
    fetched_at: str
    from_cache: bool


class SparqlClient:
    """Runs SELECT queries against one endpoint, with retries and an on-disk cache."""

    def __init__(self, endpoint: str = WIKIDATA_ENDPOINT, *, timeout: float = 60.0, retries: int = 4,
                 backoff: float = 1.0, cache_dir: Path | None = None, use_cache: bool = True,
                 user_agent: str | None = None, sleep: Callable[[float], None] = time.sleep,
                 max_bytes: int = MAX_ANSWER_BYTES):
        if not endpoint.startswith(("http://", "https://")):
            raise EndpointError(f"endpoint must be an http(s) URL, got {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = timeout  # for one request, all of it: connecting, waiting and reading the answer
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.cache_dir = (cache_dir or user_cache_dir() / "sparql") if use_cache else None
        self.user_agent = user_agent or default_user_agent()
        self._sleep = sleep
        self.requests = 0

    def select(self, query: str) -> Answer:
        """Run a SELECT and return its bindings as {variable: value} rows."""
        cached = self._cached(query)
        if cached is not None:
            return cached
        document = self._fetch(query)
        rows = _bindings(document, self.endpoint)
        fetched_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        if self.cache_dir is not None:
            with atomic_text_file(self._cache_path(query)) as handle:
                json.dump({"endpoint": self.endpoint, "fetched_at": fetched_at, "rows": rows}, handle)
        return Answer(rows, fetched_at, from_cache=False)

    # ------------------------------------------------------------------ internals
    def _cache_path(self, query: str) -> Path:
        assert self.cache_dir is not None
        key = hashlib.sha256(f"{self.endpoint}\n{query}".encode()).hexdigest()
        return self.cache_dir / key[:2] / f"{key}.json"

    def _cached(self, query: str) -> Answer | None:
        if self.cache_dir is None:
            return None
        path = self._cache_path(query)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            return Answer(entry["rows"], entry["fetched_at"], from_cache=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or unreadable: fetch again

    def _fetch(self, query: str) -> Any:
        sparqlwrapper()
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        attempt = 0
        while True:
            attempt += 1
            wrapper = SPARQLWrapper(self.endpoint, agent=self.user_agent)
            wrapper.setMethod(POST)  # long VALUES lists do not fit in a URL
            wrapper.setReturnFormat(JSON)
            wrapper.setTimeout(int(max(1, self.timeout)))
            wrapper.setQuery(query)
            self.requests += 1
            try:
                started = time.monotonic()
                response = wrapper.query().response
                body = self._read(response, started + self.timeout)
                try:
                    return json.loads(body.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise EndpointError(f"{self.endpoint} answered with malformed JSON ({error})") from None
                except RecursionError:
                    raise EndpointError(f"{self.endpoint} answered with JSON nested too deeply") from None
            except urllib.error.HTTPError as error:
                if error.code not in _RETRYABLE or attempt > self.retries:
                    raise EndpointError(f"{self.endpoint} answered HTTP {error.code} {error.reason}"
                                        f"{' after ' + str(attempt) + ' tries' if attempt > 1 else ''}") from None
                self._sleep(_retry_after(error) or self.backoff * 2 ** (attempt - 1))
            except (TimeoutError, urllib.error.URLError, ConnectionError) as error:
                reason = getattr(error, "reason", error)
                if attempt > self.retries:
                    raise EndpointError(f"{self.endpoint} did not answer ({reason}) after {attempt} tries; "
                                        "check the URL or raise --timeout") from None
                self._sleep(self.backoff * 2 ** (attempt - 1))
            except SPARQLWrapperException as error:  # 400, 401, 404, 414 or 500 from SPARQLWrapper
                status = type(error).__name__
                if status == "EndPointInternalError" and attempt <= self.retries:
                    self._sleep(self.backoff * 2 ** (attempt - 1))
                    continue
                raise EndpointError(f"{self.endpoint} refused the query ({status})") from None


    def _read(self, response: Any, ends: float) -> bytes:
        """The answer's bytes, at most ``max_bytes``, all of them by ``ends``: a server that drips
        bytes cannot hold an import past its timeout, nor a huge answer fill the memory."""
        body = bytearray()
        while chunk := response.read1(1 << 16):  # what has arrived (each read waits <= the socket timeout)
            body += chunk
            if len(body) > self.max_bytes:
                raise EndpointError(f"{self.endpoint} answered more than {self.max_bytes:,} bytes; "
                                    "ask for less (smaller batches) or raise the limit")
            if time.monotonic() > ends:
                raise TimeoutError(f"the answer took longer than {self.timeout:g} s")
        return bytes(body)


def sparqlwrapper() -> Any:
    """The SPARQLWrapper module, or an error that names the extra to install."""
    return require("SPARQLWrapper", "wikidata", "the Wikidata client")


def default_user_agent() -> str:
    """The User-Agent Wikidata's policy asks for: client/version (contact) library/version."""
    contact = os.environ.get(CONTACT_ENV) or f"set {CONTACT_ENV} to your e-mail or URL"
    return f"taxonomy-labels/{__version__} ({contact}) SPARQLWrapper/{sparqlwrapper().__version__}"


def _retry_after(error: urllib.error.HTTPError) -> float | None:
    value = error.headers.get("Retry-After") if error.headers else None
    if value is None:
        return None
    try:
        return min(max(float(value), 0.0), 300.0)
    except ValueError:
        return None  # an HTTP date: fall back to exponential backoff


def _bindings(document: Any, endpoint: str) -> list[dict[str, str]]:
    """SPARQL JSON results -> rows of plain strings (language tags kept as ``xml:lang`` keys)."""
    try:
        raw = document["results"]["bindings"]
        rows: list[dict[str, str]] = []
        for binding in raw:
            row: dict[str, str] = {}
            for name, cell in binding.items():
                row[name] = str(cell["value"])
                if "xml:lang" in cell:
                    row[f"{name}@lang"] = str(cell["xml:lang"])
            rows.append(row)
        return rows
    except (KeyError, TypeError, AttributeError):
        raise EndpointError(f"{endpoint} answered JSON that is not SPARQL results") from None
