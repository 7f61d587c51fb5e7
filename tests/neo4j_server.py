"""A real Neo4j server for tests and benchmarks: Neo4j Community 5.26 LTS from Maven Central.

tools/neo4j-server holds a Maven project whose one class starts Neo4j embedded with the Bolt
connector on 127.0.0.1 and authentication on. ``scripts/test.sh`` builds it; this module builds
it too when it is missing, then starts one server per call of :func:`neo4j_server`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.sparql import free_port

PROJECT = Path(__file__).resolve().parent.parent / "tools" / "neo4j-server"
JAR = PROJECT / "target" / "neo4j-server-1.jar"


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str
    password: str
    home: Path
    process: subprocess.Popen[bytes]


def build() -> None:
    """Build the launcher and fetch Neo4j's jars (Maven caches them in ~/.m2)."""
    if JAR.is_file() and (PROJECT / "target" / "lib").is_dir():
        return
    maven = shutil.which("mvn")
    assert maven, "Maven is needed to fetch Neo4j from Maven Central (Debian: apt-get install maven)"
    subprocess.run([maven, "-q", "-B", "package"], cwd=PROJECT, check=True)


@contextmanager
def neo4j_server(home: Path, *, heap: str = "1g", seconds: float = 120) -> Iterator[Neo4jServer]:
    """Start Neo4j with its data under ``home``; yields where it listens and the credentials."""
    build()
    port = free_port()
    password = secrets.token_urlsafe(12)
    home.mkdir(parents=True, exist_ok=True)
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(
        ["java", f"-Xmx{heap}", "-XX:+UseParallelGC", "-cp", f"{JAR}{os.pathsep}{PROJECT / 'target' / 'lib' / '*'}",
         "org.taxonomy.neo4jserver.Server", str(home / "neo4j"), str(port)],
        stdout=subprocess.PIPE, stderr=log, env={**os.environ, "NEO4J_PASSWORD": password})
    try:
        _wait_ready(process, home, seconds)
        yield Neo4jServer(f"neo4j://127.0.0.1:{port}", "neo4j", password, home, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_ready(process: subprocess.Popen[bytes], home: Path, seconds: float) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + seconds
    line = process.stdout.readline()  # the server prints "ready" once Bolt listens, or dies
    if line.strip() != b"ready" or time.monotonic() > deadline:
        process.kill()
        tail = (home / "server.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"Neo4j did not start (exit status {process.poll()}): {tail}")
