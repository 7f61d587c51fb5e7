"""Names as datasets write them: qualifiers, spelling variants, typos and junk (no store needed)."""

from __future__ import annotations

import pytest

from taxonomy.linking.names import (
    CachedLexicon,
    adjective_stems,
    alternatives,
    base_forms,
    binomial_genus,
    camel_case_words,
    catch_all_name,
    category_path,
    compound_splits,
    describes,
    gerund_stems,
    ing_form,
    junk_reason,
    named_by,
    names_a_class,
    respellings,
    scene_path_name,
    spelt_alike,
    split_qualifier,
    synonym_list,
    taxon_path,
    too_short,
    variants,
    without_index,
    words_beside,
)
from taxonomy.model import Concept


@pytest.mark.parametrize(("name", "expected"), [
    ("bat (animal)", ("bat", "animal")),
    ("mouse (computer)", ("mouse", "computer")),
    ("crisp (potato chip)", ("crisp", "potato chip")),
    ("church (indoor)", ("church", "indoor")),
    ("(foo)", ("(foo)", "")),  # nothing but a parenthesis is a name
    ("wine glass", ("wine glass", "")),
])
def test_a_parenthetical_qualifier_is_a_hint(name: str, expected: tuple[str, str]) -> None:
    assert split_qualifier(name) == expected


@pytest.mark.parametrize(("name", "variant"), [
    ("wine glass", "wineglass"), ("cell phone", "cellphone"), ("t-shirt", "t shirt"), ("tee-shirt", "tee shirt"),
    ("Drum stick", "drumstick"), ("colour", "color"), ("tyre", "tire"), ("centre", "center"), ("pyjamas", "pajamas"),
    ("aeroplane", "airplane"), ("tea cosy", "tea cozy"), ("Sprenger's tulip", "sprengers tulip"),
    ("colt's foot", "coltsfoot"),
    ("salt & pepper", "salt and pepper"), ("Moniter/TV", "tv"), ("Washing Machine/Drying Machine", "washing machine"),
    ("color", "colour"), ("catalog", "catalogue"), ("Common redshank", "redshank"), ("snorkelling", "snorkeling"),
    ("Bog snorkelling", "bog snorkeling"), ("modeling", "modelling"),
    ("St. Bernard", "saint bernard"), ("St. Bernard", "st bernard"), ("Saint John's wort", "st john's wort"),
    ("Mt. Everest", "mount everest"), ("Piñata", "pinata"), ("Béchamel sauce", "bechamel sauce"),
    ("ice skating rink", "ice-skating rink"), ("Archaeological site", "archeological site"),
    ("Red winged Blackbird", "red-winged blackbird"),
    ("Hot dog bun", "hotdog bun"), ("Swim cap", "swimming cap"), ("Shave brush", "shaving brush"),
])
def test_variants_cover_the_ways_datasets_write_names(name: str, variant: str) -> None:
    assert variant in variants(name)


def test_a_slash_between_digits_joins_no_alternatives() -> None:
    """"Wolseley 24/80", a car, is no eighty; "24/7" no seven."""
    assert "80" not in variants("Wolseley 24/80") and variants("24/7") == []
    assert {"tv", "moniter"} <= set(variants("Moniter / TV")) and "cuban passport" in variants("Cuban passport/")


def test_a_slash_joins_whole_names_or_the_two_words_beside_it() -> None:
    """Whole names when both sides have as many words; else the words beside the slash, each
    with the rest of the name: Open Images' "Oldsmobile hurst/olds" was the old days at 0.99, its
    "Cd/dvd duplicator" a compact disc."""
    assert alternatives("washing machine/drying machine") == ["washing machine", "drying machine"]
    assert alternatives("cd/dvd duplicator") == ["cd duplicator", "dvd duplicator"]
    assert alternatives("oldsmobile hurst/olds") == ["oldsmobile hurst", "oldsmobile olds"]
    assert "olds" not in variants("Oldsmobile hurst/olds") and "cd" not in variants("Cd/dvd duplicator")
    assert alternatives("wine glass") == [] and alternatives("boeing f/a-18e/f super hornet") == []


def test_or_joins_alternatives_as_a_slash_does() -> None:
    """Kinetics and ObjectNet write a class of either with "or": ObjectNet's "Figurine or statue"
    was a new kind of statue, a "dog or cat" a new kind of dog. Not inside a word ("labor",
    "corn")."""
    assert alternatives("figurine or statue") == ["figurine", "statue"]
    assert alternatives("catching or throwing baseball") == ["catching baseball", "throwing baseball"]
    assert {"figurine", "statue"} <= set(variants("Figurine or statue"))
    assert alternatives("labor") == [] and alternatives("corn oil") == []


def test_a_class_folders_number_is_no_part_of_its_name() -> None:
    assert without_index("001.Black footed Albatross") == "Black footed Albatross"  # CUB-200
    assert without_index("001.ak47") == "ak47" and without_index("0042 dog") == "dog"
    assert [without_index(n) for n in ("7-Up", "101 Dalmatians", "24-karat gold", "1.5 litre bottle", "0")] == [
        "7-Up", "101 Dalmatians", "24-karat gold", "1.5 litre bottle", "0"]
    assert "dog" in variants("a dog") and "botanist" not in variants("The botanist")  # a gin's name


def test_a_scene_categorys_path_is_its_name_and_qualifier() -> None:
    """SUN397's and Places365's category paths: no vitamin A of "/a/abbey"."""
    assert [scene_path_name(p) for p in ("/a/abbey", "/c/church/indoor", "/a/airplane_cabin",
                                         "/w/wine_cellar/barrel_storage")] == [
        "abbey", "church (indoor)", "airplane cabin", "wine cellar (barrel storage)"]
    assert [scene_path_name(n) for n in ("abbey", "a/b", "/ab/c", "/a/", "Cd/dvd duplicator")] == [None] * 5


def test_a_category_path_names_its_last_class() -> None:
    """Mapillary Vistas' labels and product taxonomies write a class after its supercategories."""
    assert category_path("object--vehicle--car") == ("car", ["vehicle", "object"])
    assert category_path("construction--barrier--guard-rail") == ("guard-rail", ["barrier", "construction"])
    assert category_path("Animals > Pets > Dog") == ("Dog", ["Pets", "Animals"])
    assert [category_path(n) for n in ("guard-rail", "T-shirt", "a>b", "--car", "Pan-American Highway")] == [
        ("", [])] * 5


def test_a_qualifier_that_names_no_class() -> None:
    assert names_a_class("animal") and names_a_class("indoor") and names_a_class("type of shoe")
    assert not any(names_a_class(q) for q in ("for food", "on an animal", "part of a train", "non-jewelry", ""))


def test_an_adjectives_nouns() -> None:
    """Likeliest first by English spelling, as the refusal names the first the store knows:
    DTD's "striped" is of stripe (strip's is "stripped"), "lined" of line, "matted" of mat."""
    assert adjective_stems("cracked")[:1] == ["crack"] and adjective_stems("matted")[:1] == ["mat"]
    assert [adjective_stems(w)[0] for w in ("striped", "lined", "pitted", "dressed", "frilly", "veined")] == [
        "stripe", "line", "pit", "dress", "frill", "vein"]
    assert "scale" in adjective_stems("scaly") and "marble" in adjective_stems("Marbled")
    assert adjective_stems("red") == [] and adjective_stems("dried fruit") == [] and adjective_stems("tiling") == []


def test_a_catch_all_class_is_read_as_a_name() -> None:
    """COCO-Stuff's "-other" and "-stuff" classes."""
    assert [catch_all_name(n) for n in ("building-other", "desk-stuff", "sky-other")] == [
        "other building", "desk", "other sky"]
    assert [catch_all_name(n) for n in ("other", "Significant other", "stuff", "building")] == [None] * 4


def test_camel_case_is_read_as_its_words() -> None:
    """UCF101's and EuroSAT's class folders run capitalised words together."""
    assert [camel_case_words(n) for n in ("ApplyEyeMakeup", "YoYo", "SeaLake", "BMXBike")] == [
        "Apply Eye Makeup", "Yo Yo", "Sea Lake", "BMX Bike"]
    assert [camel_case_words(n) for n in ("Basketball", "iPhone", "BMX", "Apply eye makeup", "LaTeX", "XKjQw")] == [
        None] * 6


def test_a_taxonomy_path_names_its_last_taxon() -> None:
    """iNaturalist 2021's class folders: a number, then the ranks from the kingdom down."""
    assert taxon_path("00000 Animalia Annelida Clitellata Crassiclitellata Lumbricidae Lumbricus terrestris") == (
        "Lumbricus terrestris", ["Lumbricidae", "Crassiclitellata", "Clitellata", "Annelida", "Animalia"])
    assert taxon_path("Plantae Tracheophyta Magnoliopsida Rosales Rosaceae Rosa") == (
        "Rosa", ["Rosaceae", "Rosales", "Magnoliopsida", "Tracheophyta", "Plantae"])
    assert taxon_path("Animalia Chordata") == ("", []) and taxon_path("Plantae seeds and bulbs") == ("", [])


def test_a_list_of_synonyms_is_read_as_its_names() -> None:
    assert synonym_list("car, auto, automobile, machine, motorcar") == ["car", "auto", "automobile", "machine",
                                                                         "motorcar"]
    assert synonym_list("Thorns, spines, and prickles") == ["Thorns", "spines", "prickles"]
    assert synonym_list("tench, Tinca tinca") == ["tench", "Tinca tinca"]
    assert synonym_list("wine glass") == [] and synonym_list("dog,") == []
    assert synonym_list("building;edifice") == ["building", "edifice"]  # ADE20K's objectInfo150
    assert synonym_list("door;double;door") == ["door", "double", "door"]  # its spaces too: joined by the linker


def test_the_words_beside_a_head_count_a_hyphened_words_other_parts() -> None:
    assert words_beside("Fiat 850", "Fiat") == ("", "850")
    assert words_beside("Republic p-47 thunderbolt", "thunderbolt") == ("p-47", "")
    assert words_beside("Lagonda 3-litre", "litre") == ("3", "")  # a head inside a hyphened word
    assert words_beside("Sunbeam-talbot 90", "talbot") == ("sunbeam", "90")
    assert words_beside("Route 66", "road") is None


def test_a_verbs_ing_form_follows_the_spelling_rules() -> None:
    assert [ing_form(v) for v in ("swim", "shave", "open", "row", "fish", "see")] == [
        "swimming", "shaving", "opening", "rowing", "fishing", "seeing"]


def test_an_ing_form_names_the_words_it_may_be_made_from() -> None:
    assert gerund_stems("Rafting") == ["raft", "rafte"] and "shop" in gerund_stems("shopping")
    assert gerund_stems("Tiling") == ["tile", "til"] and gerund_stems("white water rafting")[0] == "raft"
    assert gerund_stems("hiking")[0] == "hike" and gerund_stems("shopping")[0] == "shop"
    assert gerund_stems("king") == [] and gerund_stems("ring") == [] and gerund_stems("") == []


def test_a_word_written_solid_is_split_in_two_at_each_place() -> None:
    assert compound_splits("nightstand") == ["nightst and", "nights tand", "night stand", "nigh tstand",
                                             "nig htstand"]
    assert compound_splits("beds") == [] and compound_splits("night stand") == [] and compound_splits("t-shirt") == []


def test_typos_are_fixed_only_into_names_the_store_has() -> None:
    names = {"balloon", "ballot", "camel", "butterfly", "extension cord", "monitor", "moniker", "monster",
             "kindergarten"}
    assert respellings("Ballon", names) == ["balloon"]  # a letter left out beats one replaced
    assert respellings("Campel", names) == ["camel"]
    assert respellings("Buttefly", names) == ["butterfly"]
    assert respellings("Extention Cord", names) == ["extension cord"]
    assert respellings("Moniter", names) == ["monitor"]  # a vowel for a vowel first
    assert respellings("cat", names) == []  # short words are left alone
    assert respellings("zqxwv", names) == []
    assert respellings("Pepto-bismol", {"pepto-bismal"}) == ["pepto-bismal"]  # a hyphen joins two words
    # foreign words a letter away from English ones (Open Images): a first letter or a last one too many
    assert respellings("Crumble", {"rumble"}) == [] and respellings("Halva", {"malva"}) == []
    assert respellings("Gamer", {"game"}) == [] and respellings("Bento", {"bent"}) == []
    assert respellings("Mushroon", {"mushroom"}) == ["mushroom"] and respellings("Bakset", {"basket"}) == ["basket"]
    assert respellings("Bannana-split", {"banana-split", "banana split"}) == ["banana-split"]


@pytest.mark.parametrize("junk", ["BHJ3@xhiC!Zm;}dC{U]Krc", "xqzkrtp", "hjKLmnQ", "123 456", "%%%", "q#@!x",
                                  "kX pIe", "mOl lpgnLfF", "DkG"])
def test_junk_is_recognised(junk: str) -> None:
    assert junk_reason(junk)


@pytest.mark.parametrize("name", ["Vinegret", "iPhone", "R2-D2", "McDonald's", "7-Eleven", "Manduca quinquemaculata",
                                  "狗", "hot dog", "T-shirt", "bat (animal)", "Pokémon", "crème brûlée", "rhythm",
                                  "iOS", "eBay", "YouTube", "MacBook Pro", "pH meter"])
def test_real_names_are_not_junk(name: str) -> None:
    assert junk_reason(name) is None


def test_short_names() -> None:
    assert too_short("Ni") and too_short("xq") and not too_short("cat") and not too_short("狗")


def test_a_compound_is_described_by_proper_names_of_a_gloss_or_by_any_word_of_a_leaf() -> None:
    goldfinch = Concept("n01531178", "goldfinch", ("goldfinch", "Carduelis carduelis"),
                        "small European finch with a crimson face and yellow-and-black wings", "noun.animal", "wordnet")
    assert describes(["european"], goldfinch, common_words=False)  # "European" and "Europe" alike too
    assert not describes(["crimson"], goldfinch, common_words=False) and describes(["crimson"], goldfinch,
                                                                                 common_words=True)
    assert describes(["carduelis"], goldfinch, common_words=False)  # a word of a name
    toy_dog = Concept("n02085374", "toy dog", ("toy dog", "toy"), "any of several breeds of very small dogs",
                      "noun.animal", "wordnet")
    assert describes(["dog"], toy_dog, common_words=False) and not describes(["dog"], toy_dog, common_words=False,
                                                                             head="toy")  # "Dog toy" reversed
    assert not describes(["and", "of"], goldfinch, common_words=True)  # no content word: nothing said
    assert not describes(["eur"], goldfinch, common_words=True)  # too short to stand for "European"
    bluebird = Concept("n01560280", "fairy bluebird", ("fairy bluebird", "bluebird"),
                       "fruit-eating mostly brilliant blue songbird of the East Indies", "noun.animal", "wordnet")
    assert not describes(["eastern"], bluebird, common_words=False)  # "East" is no ending of "Eastern"
    assert describes(["asian"], Concept("x", "bear", ("bear",), "a bear of eastern Asia", None, "wordnet"),
                     common_words=False)  # "Asia" + "n"
    orangutan = Concept("n02480495", "orangutan", ("orangutan", "Pongo pygmaeus"),
                        "large long-armed ape of Borneo and Sumatra having arboreal habits", "noun.animal", "wordnet")
    assert not any(describes(["sumatran"], orangutan, common_words=c) for c in (False, True))  # one of two places
    stonecrop = Concept("n12785889", "stonecrop", ("stonecrop",), "any of various northern temperate plants of the "
                        "genus Sedum having fleshy leaves and red or yellow or white flowers", "noun.plant", "wordnet")
    assert not describes(["white"], stonecrop, common_words=True) and describes(["fleshy"], stonecrop,
                                                                                common_words=True)


@pytest.mark.parametrize(("a", "b", "alike"), [
    ("Longhorn beetle", "long-horned beetle", True), ("Black and Tan Coonhound", "black-and-tan coonhound", True),
    ("string instrument", "stringed instrument", True), ("Golden crowned Kinglet", "gold-crowned kinglet", True),
    ("April fool's day", "April Fools'", True), ("Hog-nosed snakes", "hognose snake", True),
    ("Hotair ballon", "hot-air balloon", True),  # a letter doubled
    ("Grape seed oil", "rapeseed oil", False),  # a letter before the first: another word
    ("Natural arch", "neural arch", False), ("String instrument", "measuring instrument", False),
    ("Ford lightning", "forked lightning", False), ("Camera battery", "car battery", False),  # inside a word
    ("Sevan trout", "sea trout", False),
    ("Cat food", "coat food", False),  # too short to be sure
])
def test_names_spelt_alike_but_for_inserted_letters(a: str, b: str, alike: bool) -> None:
    assert spelt_alike(a, b) is alike and spelt_alike(b, a) is alike


def test_a_kind_is_named_by_a_compounds_modifiers_and_its_heads_noun() -> None:
    assert named_by(["african"], "dog", "African hunting dog")  # "African wild dog"
    assert named_by(["capuchin"], "monkey", "capuchin")  # the modifier alone: "Capuchin monkey"
    assert not named_by(["car"], "alarm", "car horn")  # "Car alarm" is no car horn
    assert not named_by(["german"], "rex", "Louis II")  # no modifier in it at all
    rattlesnake = {("rattlesnake",), ("rattler",)}  # the names of the head's sense
    assert named_by(["ground"], "rattlesnake", "ground rattler", rattlesnake)  # "Ground rattlesnake"
    assert not named_by(["espagnole"], "sauce", "sauce espagnole", {("sauce",)})  # head first: no such compound
    store_names = {("store",), ("shop",)}
    assert named_by(["toy"], "store", "toyshop", store_names)  # "Toy store", written solid with another name
    assert not named_by(["pet"], "store", "toyshop", store_names) and not named_by(["toy"], "store", "toyshop")


class _CountingLexicon:
    """A lexicon of a few names that counts the questions the store is asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def has_name(self, norm: str) -> bool:
        self.asked.append(("name", norm))
        return norm in {"mouse", "house mouse"}

    def morph_bases(self, form: str) -> list[str]:
        self.asked.append(("bases", form))
        return ["mouse"] if form == "mice" else []


def test_a_cached_lexicon_finds_the_same_base_forms_asking_the_store_each_question_once() -> None:
    store = _CountingLexicon()
    cached = CachedLexicon(store)
    for name in ("house mice", "mice", "house mice"):
        assert base_forms(cached, name) == base_forms(_CountingLexicon(), name)
    assert sorted(store.asked) == sorted(set(store.asked))  # "mice" is asked about for both names, once
    assert ("bases", "mice") in store.asked


def test_a_binomial_names_its_genus_first() -> None:
    assert [binomial_genus(n) for n in ("Quercus turbinella", "Rosa rugosa", " Aesculus californica ",
                                         "Lotus elise", "Pan dulce", "Circus peanuts", "quercus turbinella",
                                         "Quercus", "Red fox")] == ["Quercus", "Rosa", "Aesculus", "", "", "", "",
                                                                    "", ""]
