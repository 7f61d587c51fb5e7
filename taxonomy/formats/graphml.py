"""GraphML export (nodes with names and glosses, edges child -> parent with provenance), streamed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from taxonomy.store import Store

_NODE_KEYS = (("name", "string"), ("lemmas", "string"), ("gloss", "string"), ("lexname", "string"),
              ("source", "string"), ("visual", "int"), ("common", "int"))
_EDGE_KEYS = (("kind", "string"), ("method", "string"), ("score", "double"))


def write(store: Store, ids: Sequence[str], out: TextIO) -> None:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for key, kind in _NODE_KEYS:
        out.write(f'  <key id="{key}" for="node" attr.name="{key}" attr.type="{kind}"/>\n')
    for key, kind in _EDGE_KEYS:
        out.write(f'  <key id="{key}" for="edge" attr.name="{key}" attr.type="{kind}"/>\n')
    out.write('  <graph id="taxonomy" edgedefault="directed">\n')
    included = set(ids)
    for start in range(0, len(ids), 2000):
        for concept in store.concepts(ids[start : start + 2000]):
            values = {"name": concept.name, "lemmas": "; ".join(concept.lemmas), "gloss": concept.gloss,
                      "lexname": concept.lexname or "", "source": concept.source,
                      "visual": concept.visual, "common": concept.common}
            data = "".join(f'<data key="{k}">{escape(str(v))}</data>' for k, v in values.items())
            out.write(f"    <node id={quoteattr(concept.id)}>{data}</node>\n")
    for edge in store.iter_edges():
        if edge.child in included and edge.parent in included:
            data = (f'<data key="kind">{escape(edge.kind)}</data><data key="method">{escape(edge.method)}</data>'
                    f'<data key="score">{edge.score}</data>')
            out.write(f"    <edge source={quoteattr(edge.child)} target={quoteattr(edge.parent)}>{data}</edge>\n")
    out.write("  </graph>\n</graphml>\n")
