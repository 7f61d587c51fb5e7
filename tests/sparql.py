"""Test helpers for SPARQL: a real Oxigraph server, and a misbehaving HTTP endpoint."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs


def wait_until_serving(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Poll ``url`` until it answers; fail with the server's last words if it dies or never does."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                stderr = process.stderr.read().decode()[-2000:] if process.stderr else ""
                raise RuntimeError(f"the server at {url} did not start: {stderr}") from None
            time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def oxigraph_server(data: Path, workdir: Path) -> Iterator[str]:
    """Load ``data`` into a new Oxigraph store and serve it on loopback; yields the query URL."""
    binary = shutil.which("oxigraph")
    assert binary, "the oxigraph server comes with the dev extra (pip install oxigraph)"
    location = workdir / "oxigraph"
    subprocess.run([binary, "load", "--location", str(location), "--file", str(data)], check=True,
                   capture_output=True)
    port = free_port()
    server = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_serving(f"{url}?query=ASK%7B%7D", server, 30)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


class Misbehaving:
    """An HTTP endpoint that answers from a script: each entry is (status, headers, body, delay)."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict[str, str], bytes, float]] = []
        self.requests: list[dict[str, str]] = []
        self.drip = 0.0  # seconds between the bytes of a body (a server that drips its answer)
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                owner.requests.append({"user-agent": self.headers.get("User-Agent", ""),
                                       "query": form.get("query", [""])[0]})
                status, headers, body, delay = owner.script.pop(0) if owner.script else (200, {}, EMPTY, 0)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if not owner.drip:
                        self.wfile.write(body)
                    for byte in body if owner.drip else b"":
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(owner.drip)
                except OSError:
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


EMPTY = json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode()
