"""A local image server for the pipeline tests: the real photos of ../shared/data/images on
loopback, plus the ways the web goes wrong (redirect chains, redirects to private addresses,
HTML, oversized bodies, decompression bombs, slow, dripping and missing pages). It counts requests."""

from __future__ import annotations

import io
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PHOTOS = Path(__file__).resolve().parents[2] / "shared" / "data" / "images"
assert PHOTOS.is_dir(), f"the pipeline tests use the real photos of ../shared/data/images ({PHOTOS} is missing)"
TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def bomb_png(side: int = 6000) -> bytes:
    """A small file that decodes to side x side pixels (a decompression bomb for a low limit)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@dataclass
class ImageServer:
    base: str
    requests: Counter[str]

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"


@contextmanager
def image_server() -> Iterator[ImageServer]:
    requests: Counter[str] = Counter()
    bomb = bomb_png()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes = b"", kind: str = "text/plain", **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", headers.pop("length", str(len(body))))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            requests[self.path] += 1
            parts = self.path.split("?")[0].strip("/").split("/")
            if parts[0] == "img" and (PHOTOS / parts[1]).is_file():
                file = PHOTOS / parts[1]
                self._send(200, file.read_bytes(), TYPES.get(file.suffix, "application/octet-stream"))
            elif parts[0] == "redirect":  # /redirect/N/name: N hops, then the image
                hops = int(parts[1])
                target = f"/redirect/{hops - 1}/{parts[2]}" if hops > 1 else f"/img/{parts[2]}"
                self._send(302, Location=target)
            elif parts[0] == "to-private":
                self._send(302, Location="http://10.1.2.3/cat.png")
            elif parts[0] == "to-nat64":  # the loopback address inside a NAT64 address
                self._send(302, Location=f"http://[64:ff9b::7f00:1]:{self.server.server_port}/img/chelsea.png")
            elif parts[0] == "drip":  # a valid header, then one byte every 0.3 s for a long time
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.3)
            elif parts[0] == "html":
                self._send(200, b"<html>not an image</html>", "text/html; charset=utf-8")
            elif parts[0] == "huge":
                self._send(200, b"\x89PNG", "image/png", length=str(500 * 1024 * 1024))
            elif parts[0] == "bomb.png":
                self._send(200, bomb, "image/png")
            elif parts[0] == "slow":
                time.sleep(3)
                self._send(200, b"", "image/png")
            else:
                self._send(404, b"not found")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ImageServer(f"http://127.0.0.1:{server.server_address[1]}", requests)
    finally:
        server.shutdown()
        server.server_close()
