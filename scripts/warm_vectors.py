"""Fill the user's vector cache with WordNet's concepts, unless it holds them already.

    python scripts/warm_vectors.py

scripts/test.sh runs it in the background: on a cold machine, embedding WordNet's 82,115
"name: gloss" texts is the longest step of the test run, and the tests that need no vectors
run meanwhile. The cache is shared through a lock (embedding.embed_texts), so a test that
needs the vectors before they are all there waits for the chunk being computed, computes the
rest itself, and nothing is embedded twice.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from taxonomy import Store, build_store
from taxonomy.linking.embedding import MODEL, embed_texts, stale_concepts
from taxonomy.paths import user_cache_dir

WORDNET_CONCEPTS = 82_115


def cached_vectors(path: Path) -> int:
    if not path.is_file():
        return 0
    with sqlite3.connect(path) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM vectors").fetchone()[0])
        except sqlite3.OperationalError:  # created, but no table yet
            return 0


def main() -> None:
    cache = user_cache_dir() / f"embeddings-{MODEL}.sqlite"
    held = cached_vectors(cache)
    if held >= WORDNET_CONCEPTS:
        print(f"the vector cache holds {held:,} vectors already: nothing to do ({cache})")
        return
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="taxonomy-warm-") as folder:
        with Store.open(build_store(Path(folder) / "wordnet.sqlite")) as store:
            texts = [text for _, text in stale_concepts(store)]
        embed_texts(texts)
    print(f"embedded or found {len(texts):,} texts into {cache} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
