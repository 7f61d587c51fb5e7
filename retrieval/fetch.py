"""Fetch and decode pool images, safely: each item's failure is recorded as data, never raised.

HTTP(S) through httpx with a per-read timeout, a total deadline per item, a size cap, an image
content-type check and redirects followed by hand (at most ``max_redirects``). Every connection's
address is checked where it is made (the connection goes to the very address that was checked,
so a name that resolves again to another address cannot steer it): private, loopback,
link-local, multicast and other non-global addresses are refused, and so are IPv6 addresses that
carry such an IPv4 address inside (NAT64, 6to4, IPv4-compatible, IPv4-mapped), unless an
allowed network covers them. ``file://`` URLs are read only when the pool is a local folder.
Decoding through Pillow refuses images of more than ``max_pixels`` before their pixels are read.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import time
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
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


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


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (NAT64, 6to4, IPv4-mapped or -compatible), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if any(address in net for net in _NAT64) or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: Address) -> bool:
    """A global unicast address; an IPv6 address that carries an IPv4 one is judged by that one
    (what it reaches), whatever the IPv6 range's own flags say (they differ between Pythons)."""
    inner = embedded_ipv4(address)
    if inner is not None:
        return is_public(inner)
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


@dataclass
class Fetcher:
    timeout: float = 10.0           # seconds one connect or read may wait
    deadline: float = 60.0          # seconds one item may take in all (redirects and body included)
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 3
    max_pixels: int = 40_000_000
    allowed_networks: Sequence[Network] = ()
    allow_files: bool = False       # file:// URLs: only for a pool that is a local folder
    threads: int = 16

    def fetch_many(self, items: Sequence[PoolItem]) -> list[Fetched]:
        """Fetch and decode in threads (network-bound); results in the order of ``items``."""
        import httpx

        limits = httpx.Limits(max_connections=self.threads, max_keepalive_connections=self.threads)
        transport = _checked_transport(self, limits)
        with httpx.Client(timeout=self.timeout, follow_redirects=False, limits=limits, trust_env=False,
                          transport=transport, headers={"User-Agent": USER_AGENT}) as client:
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
            raise FetchRefused("file URLs are not allowed here (only a pool that is a local folder reads files)")
        path = Path(unquote(urlsplit(url).path))
        if not path.is_file():
            raise FetchRefused(f"no such file: {path}")
        if path.stat().st_size > self.max_bytes:
            raise FetchRefused(f"larger than {self.max_bytes:,} bytes")
        return path.read_bytes()

    def _download(self, url: str, client: Any) -> bytes:
        ends = time.monotonic() + self.deadline
        for _ in range(self.max_redirects + 1):
            self.check_url(url)
            with client.stream("GET", url, timeout=self._timeout_until(ends)) as response:
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
                return self._capped(response.iter_bytes(), ends)
        raise FetchRefused(f"more than {self.max_redirects} redirects")

    def _timeout_until(self, ends: float) -> float:
        left = ends - time.monotonic()
        if left <= 0:
            raise FetchRefused(f"took longer than the {self.deadline:g} s deadline")
        return min(self.timeout, left)

    def _capped(self, chunks: Iterator[bytes], ends: float) -> bytes:
        buffer = bytearray()
        for chunk in chunks:  # each read waits at most `timeout`; the whole body at most until `ends`
            buffer += chunk
            if len(buffer) > self.max_bytes:
                raise FetchRefused(f"larger than {self.max_bytes:,} bytes")
            self._timeout_until(ends)
        return bytes(buffer)

    @staticmethod
    def check_url(url: str) -> None:
        """Refuse URLs that are not http(s) with a host (the address is checked on connecting)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchRefused(f"not an http(s) URL: {url[:100]!r}")

    def allowed_address(self, host: str, port: int) -> str:
        """The first address of ``host`` that may be reached; refuses a host with any other.

        All of a host's addresses must pass, so that which one the resolver lists first decides nothing.
        """
        try:
            infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
        except socket.gaierror as error:
            raise FetchRefused(f"cannot resolve {host!r} ({error.strerror})") from None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        for address in addresses:
            if not (is_public(address) or any(address in net for net in self.allowed_networks)):
                raise FetchRefused(f"{host} resolves to {address}, a private, loopback, link-local, multicast or "
                                   "otherwise non-public address (allow its network explicitly to fetch from it)")
        return str(addresses[0])

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


def _checked_transport(fetcher: Fetcher, limits: Any) -> Any:
    """An httpx transport whose every TCP connection goes to an address ``fetcher`` allowed,
    resolved once: the check and the connection use the same address (no DNS rebinding)."""
    import httpcore
    import httpx

    class CheckedBackend(httpcore.SyncBackend):
        def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                        socket_options: Any = None) -> httpcore.NetworkStream:
            return super().connect_tcp(fetcher.allowed_address(host, port), port, timeout, local_address,
                                       socket_options)

    transport = httpx.HTTPTransport(limits=limits, trust_env=False)
    # httpx builds its pool without a network backend option: give it one that checks (httpx 0.28)
    pool = transport._pool
    if not isinstance(pool, httpcore.ConnectionPool):
        raise RuntimeError("this httpx keeps its connections otherwise; the fetcher cannot check addresses")
    transport._pool = httpcore.ConnectionPool(
        ssl_context=pool._ssl_context, max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
        network_backend=CheckedBackend())
    return transport


def parse_networks(texts: Sequence[str]) -> list[Network]:
    """CIDR networks (``127.0.0.0/8``) the fetcher may reach although they are not global."""
    try:
        return [ipaddress.ip_network(t, strict=False) for t in texts]
    except ValueError as error:
        raise TaxonomyError(f"bad network: {error}; use CIDR such as 127.0.0.0/8") from None
