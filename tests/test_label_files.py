"""A user's label file as datasets ship them: lines, tables, COCO/LVIS JSON, ImageNet's wnid lists."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from taxonomy.errors import InputError
from taxonomy.sources.label_files import read_label_file


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


def test_lvis_categories_give_their_synsets_definitions_and_ids(tmp_path: Path) -> None:
    lvis = {"info": {}, "images": [], "categories": [
        {"id": 3, "name": "bat_(animal)", "synset": "bat.n.01", "def": "nocturnal mouselike mammal",
         "synonyms": ["bat_(animal)"]},
        {"id": 12, "name": "kite", "synset": "kite.n.03"},
        {"id": 40, "name": "pizza_cutter"}]}
    labels = read_label_file(write(tmp_path, "lvis_v1_val.json", json.dumps(lvis)), "lvis")
    assert labels.names == ["bat_(animal)", "kite", "pizza_cutter"]
    assert labels.indices == [3, 12, 40]
    assert labels.synsets == ["bat.n.01", "kite.n.03", None]
    assert labels.descriptions == ["nocturnal mouselike mammal", None, None]


def test_coco_categories_and_a_plain_json_list(tmp_path: Path) -> None:
    coco = {"categories": [{"supercategory": "vehicle", "id": 3, "name": "car"},
                           {"supercategory": "animal", "id": 18, "name": "dog"}]}
    labels = read_label_file(write(tmp_path, "instances_val2017.json", json.dumps(coco)), "coco-mine")
    assert (labels.names, labels.indices, labels.synsets) == (["car", "dog"], [3, 18], [])
    vistas = {"labels": [{"name": "animal--bird", "readable": "Bird", "color": [165, 42, 42]},
                         {"name": "object--vehicle--car", "readable": "Car", "color": [0, 0, 142]}]}
    config = read_label_file(write(tmp_path, "config.json", json.dumps(vistas)), "vistas")  # Mapillary Vistas
    assert config.names == ["animal--bird", "object--vehicle--car"]
    listed = read_label_file(write(tmp_path, "classes.json", '["car", {"label": "dog"}]'), "listed")
    assert (listed.names, listed.indices) == (["car", "dog"], [])


def test_json_lines_with_offsets_as_synsets(tmp_path: Path) -> None:
    text = '{"id": 0, "label": "wine glass"}\n\n{"id": 1, "label": "cell phone", "wnid": "02992529-n"}\n'
    labels = read_label_file(write(tmp_path, "classes.jsonl", text), "mine")
    assert labels.names == ["wine glass", "cell phone"] and labels.synsets == [None, "n02992529"]


def test_imagenet_wnid_lists(tmp_path: Path) -> None:
    """ImageNet's LOC_synset_mapping.txt (a wnid, then its names) and a list of wnids alone."""
    mapping = read_label_file(write(tmp_path, "LOC_synset_mapping.txt", "n01440764 tench, Tinca tinca\n"
                                    "n01443537 goldfish, Carassius auratus\n"), "mine")
    assert mapping.names == ["tench", "goldfish"] and mapping.synsets == ["n01440764", "n01443537"]
    alone = read_label_file(write(tmp_path, "synsets.txt", "n01440764\nn01443537\n"), "mine")
    assert alone.names == ["", ""] and alone.synsets == ["n01440764", "n01443537"]
    dogs = read_label_file(write(tmp_path, "dogs.txt", "n02085620-Chihuahua\nn02085782-Japanese_spaniel\n"), "mine")
    assert dogs.names == ["Chihuahua", "Japanese_spaniel"] and dogs.synsets == ["n02085620", "n02085782"]  # Stanford


def test_lines_that_number_their_classes(tmp_path: Path) -> None:
    """Places365's categories_places365.txt gives each class's index after its path; a list may
    number its classes first; names that end with a number of their own stay whole."""
    places = read_label_file(Path(__file__).parents[1] / "data" / "places365" / "categories_places365.txt", "mine")
    assert (places.names[:2], places.indices[:2], len(places.indices)) == (
        ["/a/airfield", "/a/airplane_cabin"], [0, 1], 365)
    numbered = read_label_file(write(tmp_path, "classes.txt", "1 tench\n2 great white shark\n"), "mine")
    assert (numbered.names, numbered.indices) == (["tench", "great white shark"], [1, 2])
    stuff = read_label_file(write(tmp_path, "labels.txt", "0: unlabeled\n1: person\n2: bicycle\n"), "mine")
    assert (stuff.names, stuff.indices) == (["unlabeled", "person", "bicycle"], [0, 1, 2])  # COCO-Stuff
    cars = read_label_file(write(tmp_path, "cars.txt", "Acura RL Sedan 2012\nAcura TL Sedan 2012\n"), "mine")
    assert (cars.names, cars.indices) == (["Acura RL Sedan 2012", "Acura TL Sedan 2012"], [])  # years
    aircraft = read_label_file(write(tmp_path, "aircraft.txt", "Boeing 707\nBoeing 727\nBoeing 737\n"), "mine")
    assert aircraft.indices == []  # no run 0 (or 1) to n


def test_table_columns_as_datasets_name_them(tmp_path: Path) -> None:
    labels = read_label_file(write(tmp_path, "classes.csv", "id,class_name,definition\n5,dog,a pet\n"), "mine")
    assert (labels.names, labels.indices, labels.descriptions) == (["dog"], [5], ["a pet"])
    one_column = read_label_file(write(tmp_path, "names.csv", "name\ndog\ncat\n"), "mine")
    assert one_column.names == ["dog", "cat"]
    with_commas = read_label_file(write(tmp_path, "names.txt", "Lemon, lime and bitters\ndog\n"), "mine")
    assert with_commas.names == ["Lemon, lime and bitters", "dog"]  # a name, not a header


def test_text_in_utf16_or_with_a_byte_order_mark(tmp_path: Path) -> None:
    assert read_label_file(write(tmp_path, "u16.txt", "dog\ncat\n", "utf-16"), "mine").names == ["dog", "cat"]
    assert read_label_file(write(tmp_path, "bom.csv", "index,name\r\n0,dog\r\n", "utf-8-sig"), "mine").names == ["dog"]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("nocol.tsv", "index\tthing\n0\tdog\n", "names no class-name column"),
    ("latin1.txt", b"dog\ncat\xe9\n", "line 2: not UTF-8 text (byte 0xe9)"),
    ("verb.json", '[{"name": "run", "synset": "run.v.01"}]', "'run.v.01' is no WordNet noun synset"),
    ("mixed.json", '[{"name": "dog", "id": 1}, {"name": "cat"}]', "class 2 ('cat') has no index"),
    ("broken.json", '[{"name": "dog",}]', "line 1: not JSON"),
    ("shape.json", '{"categories": 3}', "is a list of classes"),
    ("number.json", "[3]", "class 1: a class is a name or an object"),
    ("repeated.tsv", "index\tname\n1\tdog\n1\tcat\n", "the class index 1 is given more than once"),
    ("noname.jsonl", '{"id": 1}\n', "line 1: no class name"),
    ("badindex.csv", "index,name\nx,dog\n", "line 2: the index 'x' is not a whole number"),
])
def test_a_bad_label_file_is_refused_with_where_and_why(tmp_path: Path, name: str, content: str | bytes,
                                                         message: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        read_label_file(path, "mine")
