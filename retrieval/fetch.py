"""Fetch and decode pool images, safely: each item's failure is recorded as data, never raised.

HTTP(S) through httpx with a timeout, a size cap, an image content-type check and redirects
followed by hand (at most ``max_redirects``), every hop's address checked: private, loopback,
link-local and other non-global addresses are refused unless an allowed network covers them.
Decoding through Pillow refuses images of more than ``max_pixels`` before their pixels are read.
"""

from __future__ import annotations

import io
import ipaddress
import socket
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from retrieval.pools import PoolItem
from taxonomy.errors import TaxonomyError
from taxonomy.extras import require

if TYPE_CHECKING:
    from PIL import Image

USER_AGENT = "taxonomy-labels/0.1 (+https://github.com/; dataset building)"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class FetchRefused(Exception):
    """An item that cannot be fetched; its message is recorded with the item."""


@dataclass(slots=True)
class Fetched:
    """The outcome for one item: ``status`` is "ok" (with the decoded RGB image) or "error"."""

    item: PoolItem
    status: str
    error: str | None = None
    image: Image.Image | None = field(default=None, repr=False)
    width: int = 0
    height: int = 0
    size: int = 0


def pillow() -> Any:
    return require("PIL.Image", "gpu", "the pipeline")


@dataclass
class Fetcher:
    timeout: float = 10.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 3
    max_pixels: int = 40_000_000
    allowed_networks: Sequence[Network] = ()
    allow_files: bool = True
    threads: int = 16

    def fetch_many(self, items: Sequence[PoolItem]) -> list[Fetched]:
        """Fetch and decode in threads (network-bound); results in the order of ``items``."""
        import httpx

        limits = httpx.Limits(max_connections=self.threads, max_keepalive_connections=self.threads)
        with httpx.Client(timeout=self.timeout, follow_redirects=False, limits=limits, trust_env=False,
                          headers={"User-Agent": USER_AGENT}) as client:
            if len(items) <= 1 or self.threads <= 1:
                return [self.fetch(item, client) for item in items]
            with ThreadPoolExecutor(self.threads) as pool:
                return list(pool.map(lambda item: self.fetch(item, client), items))

    def fetch(self, item: PoolItem, client: Any) -> Fetched:
        try:
            data = self._read_file(item.url) if item.url.startswith("file://") else self._download(item.url, client)
            return self._decode(item, data)
        except FetchRefused as refused:
            return Fetched(item, "error", str(refused))
        except Exception as error:
            return Fetched(item, "error", f"{type(error).__name__}: {error}"[:300])

    # ------------------------------------------------------------------ reading
    def _read_file(self, url: str) -> bytes:
        if not self.allow_files:
            raise FetchRefused("file URLs are not allowed here")
        path = Path(unquote(urlsplit(url).path))
        if not path.is_file():
            raise FetchRefused(f"no such file: {path}")
        if path.stat().st_size > self.max_bytes:
            raise FetchRefused(f"larger than {self.max_bytes:,} bytes")
        return path.read_bytes()

    def _download(self, url: str, client: Any) -> bytes:
        for _ in range(self.max_redirects + 1):
            self.check_address(url)
            with client.stream("GET", url) as response:
                if response.is_redirect:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchRefused(f"HTTP {response.status_code} without a Location")
                    url = urljoin(url, location)
                    continue
                if response.status_code != 200:
                    raise FetchRefused(f"HTTP {response.status_code}")
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if not kind.startswith("image/"):
                    raise FetchRefused(f"not an image (content-type {kind or 'missing'!r})")
                declared = int(response.headers.get("content-length") or 0)
                if declared > self.max_bytes:
                    raise FetchRefused(f"larger than {self.max_bytes:,} bytes ({declared:,} declared)")
                return self._capped(response.iter_bytes())
        raise FetchRefused(f"more than {self.max_redirects} redirects")

    def _capped(self, chunks: Iterator[bytes]) -> bytes:
        buffer = bytearray()
        for chunk in chunks:
            buffer += chunk
            if len(buffer) > self.max_bytes:
                raise FetchRefused(f"larger than {self.max_bytes:,} bytes")
        return bytes(buffer)

    def check_address(self, url: str) -> None:
        """Refuse URLs that are not http(s) or whose host resolves to a non-global address."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchRefused(f"not an http(s) URL: {url[:100]!r}")
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                                       proto=socket.IPPROTO_TCP)
        except socket.gaierror as error:
            raise FetchRefused(f"cannot resolve {parts.hostname!r} ({error.strerror})") from None
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if address.is_global or any(address in net for net in self.allowed_networks):
                continue
            raise FetchRefused(f"{parts.hostname} resolves to {address}, a private, loopback or link-local "
                               "address (allow its network explicitly to fetch from it)")

    # ------------------------------------------------------------------ decoding
    def _decode(self, item: PoolItem, data: bytes) -> Fetched:
        image_module = pillow()
        try:
            image = image_module.open(io.BytesIO(data))  # reads the header only
        except image_module.UnidentifiedImageError:
            raise FetchRefused("not an image Pillow can read") from None
        width, height = image.size
        if width * height > self.max_pixels:
            raise FetchRefused(f"{width}x{height} pixels is more than {self.max_pixels:,} (decompression bomb?)")
        rgb = image.convert("RGB")
        return Fetched(item, "ok", image=rgb, width=width, height=height, size=len(data))


def parse_networks(texts: Sequence[str]) -> list[Network]:
    """CIDR networks (``127.0.0.0/8``) the fetcher may reach although they are not global."""
    try:
        return [ipaddress.ip_network(t, strict=False) for t in texts]
    except ValueError as error:
        raise TaxonomyError(f"bad network: {error}; use CIDR such as 127.0.0.0/8") from None
