"""A server worker gives big freed arrays back to the system (glibc keeps them otherwise)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from taxonomy.memory import return_large_allocations

PROBE = """
import sys, threading
import numpy as np
from taxonomy.memory import return_large_allocations
def anon():
    return int(open('/proc/self/status').read().split('RssAnon:')[1].split()[0]) // 1024
if sys.argv[1] == 'set':
    assert return_large_allocations()
x = np.ones(4 << 20, dtype=np.int64); del x  # a freed 32 MB mapping raises glibc's adaptive threshold
kept = []
def work():  # what a commit does in a server thread: index arrays of 17 MB at 4.3 M concepts
    for _ in range(30):
        a, b = np.ones(4_300_000, dtype=np.int32), np.ones(4_300_000, dtype=np.int32)
        kept.append(np.ones(100))
        del a
        b += 1
before = anon()
threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(anon() - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator: Linux only")
def test_big_arrays_freed_in_threads_are_given_back() -> None:
    def retained(mode: str) -> int:
        done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
        return int(done.stdout.split()[-1])

    assert return_large_allocations()
    kept_by_default, kept_when_set = retained("default"), retained("set")
    assert kept_when_set < 32 <= kept_by_default  # MB: glibc alone kept ~200 of them
