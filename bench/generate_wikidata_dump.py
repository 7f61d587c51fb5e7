"""A generated Wikidata class tree at the size of the real one, as both dump formats.

    python bench/generate_wikidata_dump.py OUT_PREFIX [--classes N] [--seed S] [--formats nt,json]

writes ``OUT_PREFIX.nt.gz`` (truthy N-Triples) and ``OUT_PREFIX.json.gz`` (one entity per line).
SYNTHETIC: every item Q5xxxxxxxx, its labels, descriptions and every P279 edge are generated
here; the anchors are real: the Wikidata items that the shipped crosswalk maps to WordNet
(data/crosswalk/oewn_wn30_wikidata.tsv), with their real QIDs and WordNet 3.1 ids (P8814), so
a merge lands under the right synsets. The shape follows an analysis of the February 2025 dump
(4,201,747 classes with a P279 parent, 4,932,987 P279 statements, 666,843 with several
parents): preferential attachment (power-law fan-out), three hubs with 100,000+ subclasses
(as gene, protein and chemical compound have), ~16 % with a second parent, depths to 30, a few
thousand two-item cycles, some categories and metaclasses, sitelinks for a few, descriptions in
Wikidata's shapes ("species of insect") for most.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import sys
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
E, D = "http://www.wikidata.org/entity/", "http://www.wikidata.org/prop/direct/"
LABEL, DESC = "http://www.w3.org/2000/01/rdf-schema#label", "http://schema.org/description"
MAX_DEPTH = 30
HUBS = (("gene", 140_000), ("protein", 120_000), ("chemical compound", 110_000))
SYLLABLES = ["ka", "lo", "mi", "ne", "tor", "va", "ur", "sel", "bri", "zan", "ou", "pel", "quin", "dra", "fe",
             "gor", "hal", "is", "jun", "rek"]
KINDS = ["insect", "plant", "bird", "fish", "fungus", "bacterium", "mineral", "tool", "vehicle", "building",
         "protein", "gene", "chemical compound", "disease", "dish", "dance", "ship", "rock"]


def anchors() -> list[tuple[str, str, str]]:
    """(QID, WordNet 3.1 id, English name) of the real items the crosswalk maps (one QID each)."""
    wn30_to_31: dict[str, str] = {}
    with open(ROOT / "data" / "crosswalk" / "wn31_to_wn30.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["wn30"].endswith("-n"):
                wn30_to_31.setdefault(row["wn30"], row["wn31"])
    found: dict[str, tuple[str, str, str]] = {}
    with open(ROOT / "data" / "crosswalk" / "oewn_wn30_wikidata.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qid = row["wikidata_qids"].split("|")[0]
            if qid and row["wn30_offset"] in wn30_to_31 and qid not in found:
                found[qid] = (qid, wn30_to_31[row["wn30_offset"]], row["lemmas"].split("|")[0].replace("_", " "))
    return sorted(found.values())


def generate(classes: int, seed: int) -> dict[str, object]:
    """The tree as arrays: parent lists, depth, names; anchors first (numbers 0..A-1)."""
    rng = random.Random(seed)
    real = anchors()
    count = len(real) + classes
    first = array("i", [-1]) * count  # first parent
    second = array("i", [-1]) * count  # second parent, or -1
    depth = array("b", [0]) * count
    attach = array("i", range(len(real)))  # preferential attachment: a node appears once per child + once
    hubs = [len(real) + i for i in range(len(HUBS))]
    for hub in hubs:  # the hubs hang under real anchors
        first[hub] = rng.randrange(len(real))
        depth[hub] = 1
        attach.append(hub)
    scale = classes / 4_200_000  # the hubs keep their share of the tree at any size
    hub_quota = {hub: max(1, int(size * scale)) for hub, (_, size) in zip(hubs, HUBS, strict=True)}
    hub_cursor = 0
    tip = len(real)  # the end of the chain being grown: the deep paths attachment alone does not make
    for node in range(len(real) + len(HUBS), count):
        if hub_quota and rng.random() < sum(hub_quota.values()) / (count - node):  # fill the hubs evenly
            hub = list(hub_quota)[hub_cursor % len(hub_quota)]
            hub_cursor += 1
            parent = hub
            hub_quota[hub] -= 1
            if hub_quota[hub] == 0:
                del hub_quota[hub]
        elif rng.random() < 0.02:
            if depth[tip] >= MAX_DEPTH - 1 or tip in hubs:
                tip = rng.randrange(len(real))
            parent = tip
        else:
            parent = attach[rng.randrange(len(attach))]
            while depth[parent] >= MAX_DEPTH - 1 or parent in hubs:
                parent = attach[rng.randrange(len(attach))]
            attach.append(parent)
        first[node] = parent
        depth[node] = depth[parent] + 1
        if parent == tip:
            tip = node
        attach.append(node)
        if rng.random() < 0.16:  # a second parent, not itself nor its first
            other = attach[rng.randrange(len(attach))]
            if other not in (node, parent) and other < node:
                second[node] = other
    cycles = max(1, classes // 1400)  # a few thousand at full size: an edge back up from a parent
    back = [(first[n], n) for n in rng.sample(range(len(real) + len(HUBS), count), cycles) if first[n] >= len(real)]
    return {"real": real, "first": first, "second": second, "depth": depth, "hubs": hubs, "back": back,
            "count": count, "seed": seed}


def _qid(tree: dict, node: int) -> str:
    real = tree["real"]
    return real[node][0] if node < len(real) else f"Q5{node:08d}"


def _name(rng: random.Random, node: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(2 + node % 3)) + f" {node % 997}"


def _entity(tree: dict, rng: random.Random, node: int) -> dict:
    real, hubs = tree["real"], tree["hubs"]
    if node < len(real):
        qid, wn31, name = real[node]
        return {"qid": qid, "label": name, "wordnet": wn31, "parents": [], "description": "", "sitelinks": 3,
                "p31": None}
    hub = node - len(real)
    name = HUBS[hub][0] if node in hubs else _name(rng, node)
    parents = [_qid(tree, tree["first"][node])]
    if tree["second"][node] >= 0:
        parents.append(_qid(tree, tree["second"][node]))
    roll = rng.random()
    return {"qid": _qid(tree, node), "label": name, "wordnet": None, "parents": parents,
            "description": f"{rng.choice(['species', 'type', 'class', 'family'])} of {rng.choice(KINDS)}"
            if roll < 0.8 else "",
            "sitelinks": 1 + int(rng.paretovariate(1.5)) if roll < 0.05 else 0,
            "p31": "Q4167836" if roll > 0.9995 else "Q24017414" if roll > 0.999 else None,
            "zh": f"{name} zh" if roll < 0.1 else None}


def entities(tree: dict) -> object:
    rng = random.Random(tree["seed"] + 1)
    extra: dict[int, list[str]] = {}
    for parent, child in tree["back"]:
        extra.setdefault(parent, []).append(_qid(tree, child))
    for node in range(tree["count"]):
        entity = _entity(tree, rng, node)
        entity["parents"] += extra.get(node, [])
        yield entity


def write_ntriples(tree: dict, path: Path) -> int:
    lines = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        for e in entities(tree):
            s = f"<{E}{e['qid']}>"
            rows = [f'{s} <{LABEL}> {json.dumps(e["label"], ensure_ascii=False)}@en .\n']
            rows += [f"{s} <{D}P279> <{E}{p}> .\n" for p in e["parents"]]
            if e["description"]:
                rows.append(f'{s} <{DESC}> "{e["description"]}"@en .\n')
            if e["wordnet"]:
                rows.append(f'{s} <{D}P8814> "{e["wordnet"]}" .\n')
            if e["p31"]:
                rows.append(f"{s} <{D}P31> <{E}{e['p31']}> .\n")
            if e.get("zh"):
                rows.append(f'{s} <{LABEL}> {json.dumps(e["zh"], ensure_ascii=False)}@zh .\n')
            rows += [f"<https://w{n}.wikipedia.org/wiki/{e['qid']}> <http://schema.org/about> {s} .\n"
                     for n in range(e["sitelinks"])]
            out.writelines(rows)
            lines += len(rows)
    return lines


def write_json(tree: dict, path: Path) -> int:
    def claim(prop: str, value: object) -> dict:
        data = {"value": {"entity-type": "item", "id": value}, "type": "wikibase-entityid"} if prop != "P8814" \
            else {"value": value, "type": "string"}
        return {"mainsnak": {"snaktype": "value", "property": prop, "datavalue": data}, "type": "statement",
                "rank": "normal"}

    written = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        out.write("[\n")
        for e in entities(tree):
            claims: dict[str, list] = {"P279": [claim("P279", p) for p in e["parents"]]}
            if e["wordnet"]:
                claims["P8814"] = [claim("P8814", e["wordnet"])]
            if e["p31"]:
                claims["P31"] = [claim("P31", e["p31"])]
            labels = {"en": {"language": "en", "value": e["label"]}}
            if e.get("zh"):
                labels["zh"] = {"language": "zh", "value": e["zh"]}
            entity = {"type": "item", "id": e["qid"], "labels": labels,
                      "descriptions": {"en": {"language": "en", "value": e["description"]}} if e["description"]
                      else {}, "aliases": {}, "claims": claims,
                      "sitelinks": {f"w{n}wiki": {"site": f"w{n}wiki", "title": e["qid"]}
                                    for n in range(e["sitelinks"])}}
            out.write(("," if written else "") + json.dumps(entity, ensure_ascii=False) + "\n")
            written += 1
        out.write("]\n")
    return written


def describe(tree: dict) -> dict[str, object]:
    first, second, depth = tree["first"], tree["second"], tree["depth"]
    children: dict[int, int] = {}
    for parent in first:
        if parent >= 0:
            children[parent] = children.get(parent, 0) + 1
    biggest = sorted(children.values(), reverse=True)[:5]
    edges = sum(1 for p in first if p >= 0) + sum(1 for p in second if p >= 0) + len(tree["back"])
    return {"classes": tree["count"], "anchors": len(tree["real"]), "p279_edges": edges,
            "several_parents": sum(1 for p in second if p >= 0), "cycles": len(tree["back"]),
            "max_depth": max(depth), "largest_fan_out": biggest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("prefix", type=Path)
    parser.add_argument("--classes", type=int, default=4_200_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default="nt,json")
    args = parser.parse_args()
    started = time.perf_counter()
    tree = generate(args.classes, args.seed)
    print(json.dumps(describe(tree)), f"({time.perf_counter() - started:.0f} s)", flush=True)
    if "nt" in args.formats:
        lines = write_ntriples(tree, args.prefix.with_name(args.prefix.name + ".nt.gz"))
        print(f"{lines:,} triples ({time.perf_counter() - started:.0f} s)", flush=True)
    if "json" in args.formats:
        count = write_json(tree, args.prefix.with_name(args.prefix.name + ".json.gz"))
        print(f"{count:,} entities ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
