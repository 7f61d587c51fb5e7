"""Names given to the linker: validation, the ways datasets write names, and WordNet's morphology.

Datasets and dictionaries write one name many ways. :func:`split_qualifier` and :func:`variants`
turn what users bring into the forms the store knows, each rule with its examples:

- a parenthetical qualifier is a sense hint, not part of the name: ``bat (animal)``,
  ``mouse (computer)``, ``crisp (potato chip)`` (LVIS, Objects365, Open Images, Wikipedia);
- spacing and hyphens: ``wine glass`` / ``wineglass``, ``cell phone`` / ``cellphone``,
  ``t shirt`` / ``t-shirt``, ``drum stick`` / ``drumstick``, and a word written solid split
  in two (:func:`compound_splits`, kept where the split is a name of the store as written):
  ``Coffeemaker`` / ``coffee maker``, ``tvmonitor`` / ``tv monitor`` (Pascal VOC); the first
  two of three words or more hyphenated, as a compound modifier: ``ice skating rink`` /
  ``ice-skating rink`` (Places365), ``Red winged Blackbird`` / ``red-winged blackbird`` (Open
  Images), or two neighbouring words as one:
  ``Hot dog bun`` / ``hotdog bun``, ``Wall eyed pike`` / ``walleyed pike``;
- British and American spellings: ``colour`` / ``color``, ``tyre`` / ``tire``, ``centre`` /
  ``center``, ``pyjamas`` / ``pajamas``, ``aeroplane`` / ``airplane``, ``-ise`` / ``-ize``,
  ``snorkelling`` / ``snorkeling``,
  ``archaeological`` / ``archeological``, ``haemoglobin`` / ``hemoglobin``;
- possessives: ``Sprenger's tulip`` / ``Sprengers tulip``, curly apostrophes as straight ones;
- ``common`` before a species' name: ``Common redshank`` is the redshank;
- a verb before a noun in its ``-ing`` form: ``Swim cap`` / ``swimming cap``, ``Shave brush`` /
  ``shaving brush`` (Open Images);
- letters with accents as without: ``Piñata`` / ``pinata``, ``Béchamel sauce``, ``Kahlúa``;
- abbreviations, with or without their full stop: ``St. Bernard`` / ``Saint Bernard`` / ``St
  Bernard``, ``Mt. Everest`` / ``Mount Everest`` (WordNet writes both ways, for different names);
- an adjective in ``-ed`` or ``-y`` of a noun the store knows is no typo either
  (:func:`adjective_stems`): DTD's ``Cracked`` is not a cracker, ``Matted`` not malted milk,
  ``Frilly`` not a filly; it names no thing, and is answered "none" with that reason;
- an activity written as an ``-ing`` form that is no name is no typo either (:func:`gerund_stems`):
  ``Rafting`` is not drafting, ``Caving`` not calving, ``Herding`` not Harding; it may be placed
  as a new concept (its stem is a word the store knows), and is not taken for the thing it is
  done with (``Canoeing`` is not the canoe);
- an article before a name: ``a dog`` (as prompts name classes);
- ``&`` as ``and``; plurals by WordNet's exception list and detachment rules (``mice`` ->
  ``mouse``, on the last word);
- alternatives joined by a slash or by "or", each tried in turn: ``Moniter/TV``, ``Washing
  Machine/Drying Machine`` (Objects365), ``Figurine or statue`` (ObjectNet); with more words
  on one side, the two words beside it, each with the
  rest of the name (``Cd/dvd duplicator`` is a cd or a dvd duplicator, not a cd); not a slash
  between digits (``Wolseley 24/80``, a car, is no eighty);
- one typo, when nothing else matched (:func:`respellings`): a letter left out, added, swapped
  or replaced in one word of five letters or more, not its first letter and not one letter too
  many at its end, so that the whole is a name in the store: ``Ballon`` -> balloon, ``Campel``
  -> camel, ``Extention Cord`` -> extension cord (not ``Crumble`` -> rumble, ``Gamer`` -> game;
  for a dataset label, only into a thing images show: not ``Burasa`` -> the city of Bursa).

For a compound below a known head (the linker's headnoun rule), :func:`spelt_alike` tells a
kind below the head written with the compound's letters and a few more at ends of its words
(``Longhorn beetle`` / ``long-horned beetle``), :func:`named_by` a kind its modifiers name
(``African hunting dog`` for ``African wild dog``, ``toyshop`` for ``Toy store``) and
:func:`describes` a sense whose names or gloss say the compound's modifiers (``European
goldfinch``: "small European finch ...").

Before any of these, the linker reads what a label file wraps a name in: a class folder's
number (:func:`without_index`: CUB-200's ``001.Black_footed_Albatross``), a scene category's
path (:func:`scene_path_name`: SUN397's and Places365's ``/c/church/indoor``), a category path
(:func:`category_path`: Mapillary Vistas' ``object--vehicle--car``), a catch-all class
(:func:`catch_all_name`: COCO-Stuff's ``building-other``, ``desk-stuff``), words run together
in CamelCase (:func:`camel_case_words`: UCF101's ``ApplyEyeMakeup``, unless the store has the
name as written), a taxonomy path
(:func:`taxon_path`: iNaturalist's ``00001_Animalia_..._Danaus_plexippus``), a list of synonyms
(:func:`synonym_list`: ADE20K's ``mountain, mount``), and, for a dataset label, a placeholder
for no class (:func:`placeholder`: ``N/A``, ``__background__``, ``void``).

Variants are only tried when the name as written is not a name in the store, and only those
that are names in the store count. Binomials and other unique names (``Manduca
quinquemaculata``) need no rule: they are WordNet lemmas as written. A binomial the store does
not know (``Quercus turbinella``) names its genus first: :func:`binomial_genus`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache
from itertools import pairwise
from typing import Protocol

from taxonomy.errors import InputError
from taxonomy.model import Concept
from taxonomy.text import normalize

MAX_NAME = 200
MAX_DESCRIPTION = 2000
MIN_LETTERS = 3  # a shorter name links only when it is a name in the store as written ("TV", "ox")
#: WordNet's detachment rules for nouns (morphy): suffix -> replacement.
NOUN_RULES = (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
              ("men", "man"), ("ies", "y"))
#: Abbreviations WordNet writes both ways ("St Bernard", "Saint Bernard"; "St John's wort" only).
ABBREVIATIONS = {"st": "saint", "mt": "mount", "ft": "fort"}
#: Whole-word British -> American spellings that no suffix rule gives.
BRITISH_WORDS = {"aeroplane": "airplane", "pyjamas": "pajamas", "pyjama": "pajama", "tyre": "tire",
                 "plough": "plow", "cheque": "check", "moustache": "mustache", "kerb": "curb", "grey": "gray",
                 "aluminium": "aluminum", "programme": "program", "jewellery": "jewelry", "mould": "mold",
                 "storey": "story", "sceptic": "skeptic", "draught": "draft", "doughnut": "donut", "cosy": "cozy",
                 "mum": "mom", "arse": "ass", "axe": "ax", "gaol": "jail", "kerosine": "kerosene", "nappy": "diaper",
                 "lorry": "truck", "aubergine": "eggplant", "courgette": "zucchini", "biscuit": "cookie",
                 "trainers": "sneakers", "mobile phone": "cellphone", "motorbike": "motorcycle"}
#: Suffix rules, British -> American, applied to each word (and back, American -> British).
SPELLING_SUFFIXES = (("our", "or"), ("ours", "ors"), ("tre", "ter"), ("tres", "ters"), ("ise", "ize"),
                     ("ises", "izes"), ("isation", "ization"), ("yse", "yze"), ("ogue", "og"), ("ogues", "ogs"),
                     ("ence", "ense"), ("ller", "ler"), ("llers", "lers"), ("lled", "led"), ("lling", "ling"))
#: British spellings of classical "ae" and "oe" inside words, -> American.
SPELLING_INFIXES = (("archaeo", "archeo"), ("palaeo", "paleo"), ("haem", "hem"), ("anaem", "anem"),
                    ("paed", "ped"), ("oesoph", "esoph"), ("foet", "fet"), ("mediaev", "mediev"),
                    ("encyclopaed", "encycloped"), ("aesthet", "esthet"), ("oestr", "estr"))
_BRITISH_WORD = re.compile(r"\b(" + "|".join(map(re.escape, sorted(BRITISH_WORDS, key=len, reverse=True))) + r")\b")
_TO_AMERICAN = tuple(sorted(SPELLING_SUFFIXES, key=lambda rule: -len(rule[0])))  # the longest ending first
_TO_BRITISH = tuple(sorted(((american, british) for british, american in SPELLING_SUFFIXES),
                           key=lambda rule: -len(rule[0])))
_QUALIFIED = re.compile(r"^(?P<name>[^()]*[^()\s])\s*\((?P<hint>[^()]+)\)$")
_ALLOWED_SYMBOLS = set(" -'.,&()/:+!")
_VOWELS = set("aeiouyàáâäãåèéêëìíîïòóôöõùúûüýÿæœø")


#: A species' binomial, "Genus epithet", the epithet ending as Latin ones do (-a, -us, -um, -is,
#: -ii, -ensis, -oides ...): "Quercus turbinella", "Rosa rugosa"; not "Lotus elise" (a car) nor
#: "Pan dulce" (a bread), which datasets write alike.
_BINOMIAL = re.compile(r"(?P<genus>[A-Z][a-z]{2,}) [a-z]{3,}(?:a|ae|i|us|um|is|es|ia|ea|ium|ii)")


def binomial_genus(name: str) -> str:
    """The genus of a species' binomial ("Quercus" of "Quercus turbinella"), or ""."""
    found = _BINOMIAL.fullmatch(name.strip())
    return found["genus"] if found else ""


#: Articles a name may begin with ("a dog"; "The botanist", a gin, keeps its article: a title's)
ARTICLES = frozenset({"a", "an"})
#: A class's number before its name, as class folders write it: "001.Black_footed_Albatross"
#: (CUB-200), "001.ak47" (Caltech-256), "0042 dog"; not "7-Up" nor "101 Dalmatians".
_INDEX_PREFIX = re.compile(r"^(?:\d+\.(?=[^\W\d_])|0\d*[ .\-]+(?=\S))")


def without_index(name: str) -> str:
    """``name`` without the class number a folder name begins with (see _INDEX_PREFIX)."""
    return _INDEX_PREFIX.sub("", name, count=1) or name


#: A scene category as SUN397 and Places365 write it: its first letter, the scene, and any
#: subcategories ("/a/abbey", "/b/bakery/shop", "/c/church/indoor"; underscores read as spaces).
_SCENE_PATH = re.compile(r"/[a-z]/(?P<scene>[^/]*[^/\s])(?P<sub>(?:/[^/]*[^/\s])*)")


def scene_path_name(name: str) -> str | None:
    """A scene category's path as a name, its subcategory a qualifier, as datasets write sense
    hints (``/c/church/indoor`` -> "church (indoor)", ``/a/airplane_cabin`` -> "airplane
    cabin"), or None for a name that is no such path."""
    found = _SCENE_PATH.fullmatch(name.strip())
    if found is None:
        return None
    scene = " ".join(found["scene"].replace("_", " ").split())
    sub = " ".join(found["sub"].replace("_", " ").replace("/", " ").split())
    return f"{scene} ({sub})" if sub else scene


#: COCO-Stuff's catch-all classes: "building-other", the buildings no other class names, and
#: "desk-stuff", a thing class's name given again to its stuff class.
_CATCH_ALL = re.compile(r"(?P<name>[^\W\d_][\w ]*?)-(?P<kind>other|stuff)", re.IGNORECASE)


def catch_all_name(name: str) -> str | None:
    """A catch-all class as a name, as COCO-Stuff writes them: ``building-other`` -> "other
    building" (a new kind of building, as Objects365's "Other Shoes" is of shoe), ``desk-stuff``
    -> "desk"; None for any other name."""
    found = _CATCH_ALL.fullmatch(name.strip())
    if found is None:
        return None
    return f"other {found['name']}" if found["kind"].lower() == "other" else found["name"]


#: A name written in CamelCase: capitalised words (or an acronym before one) run together.
_CAMEL_WORD = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z])|[A-Z][a-z]+")
_CAMEL_CASE = re.compile(f"(?:{_CAMEL_WORD.pattern})+")


def camel_case_words(name: str) -> str | None:
    """A name written in CamelCase as its words, as action and remote-sensing datasets' folders
    write them (UCF101's ``ApplyEyeMakeup`` -> "Apply Eye Makeup", ``YoYo`` -> "Yo Yo";
    EuroSAT's ``SeaLake`` -> "Sea Lake"; ``BMXBike`` -> "BMX Bike"), or None for any other name
    (``Basketball``, ``iPhone``, ``BMX``, ``Apply eye makeup``)."""
    if not _CAMEL_CASE.fullmatch(name):
        return None
    words = _CAMEL_WORD.findall(name)
    return " ".join(words) if len(words) > 1 else None


#: The kingdoms a taxonomy path begins with (iNaturalist's class folders).
KINGDOMS = frozenset({"animalia", "plantae", "fungi", "protozoa", "protista", "chromista", "bacteria", "archaea"})


def taxon_path(name: str) -> tuple[str, list[str]]:
    """The taxon a path of ranks names, as iNaturalist 2021's class folders do, numbered, and the
    ranks above it, nearest first: "00000 Animalia Annelida Clitellata Crassiclitellata
    Lumbricidae Lumbricus terrestris" is Lumbricus terrestris (a species: its binomial) in
    Lumbricidae, ..., Animalia; "Plantae ... Rosaceae Rosa" the genus Rosa. ("", []) for any
    other name."""
    words = name.split()
    if words and words[0].isdigit():
        words = words[1:]
    if len(words) < 4 or words[0].lower() not in KINGDOMS or not all(w[:1].isupper() for w in words[:-1]):
        return "", []
    named = 2 if words[-1][:1].islower() else 1
    return " ".join(words[-named:]), words[-named - 1::-1]


#: What separates a class from its supercategories in a category path: Mapillary Vistas'
#: "object--vehicle--car", a product taxonomy's "Animals > Pets > Dog".
_CATEGORY_SEPARATOR = re.compile(r"\s*--\s*|\s+>\s+")


def category_path(name: str) -> tuple[str, list[str]]:
    """The class a category path names and the supercategories above it, nearest first:
    "object--vehicle--car" is a car (in vehicle, in object), "construction--barrier--guard-rail"
    a guard rail. ("", []) for any other name (a hyphen or a dash alone joins words)."""
    parts = [part.strip() for part in _CATEGORY_SEPARATOR.split(name)]
    if len(parts) < 2 or not all(parts):
        return "", []
    return parts[-1], parts[-2::-1]


def clean_name(name: object) -> str:
    """A name as the linker takes it; raises InputError saying what is wrong with it."""
    if not isinstance(name, str):
        raise InputError(f"a name must be text, got {type(name).__name__}")
    if any(unicodedata.category(ch) == "Cc" for ch in name.replace("\t", " ")):
        raise InputError("the name contains control characters")
    cleaned = " ".join(name.replace("_", " ").replace("\u2019", "'").split())
    if not cleaned:
        raise InputError("the name is empty")
    if len(cleaned) > MAX_NAME:
        raise InputError(f"the name is {len(cleaned):,} characters long; at most {MAX_NAME}")
    return cleaned


def clean_description(text: object) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise InputError(f"a description must be text, got {type(text).__name__}")
    if any(unicodedata.category(ch) == "Cc" for ch in text.replace("\t", " ").replace("\n", " ")):
        raise InputError("the description contains control characters")
    cleaned = " ".join(text.split())
    if len(cleaned) > MAX_DESCRIPTION:
        raise InputError(f"the description is {len(cleaned):,} characters long; at most {MAX_DESCRIPTION}")
    return cleaned


#: Words that open a qualifier which says what a thing is for, on or part of, or what it is not,
#: rather than its class: LVIS's "cooler (for food)", "saddle (on an animal)", "pin (non jewelry)".
NEGATIONS = frozenset({"non", "not", "without"})  # "pin (non jewelry)": the linker drops what they deny
_RELATION_WORDS = frozenset({"for", "on", "at", "in", "of", "with", "from", "by", "to", "part"}) | NEGATIONS


def names_a_class(hint: str) -> bool:
    """Does a qualifier name the class of what it qualifies ("bat (animal)", "church (indoor)"),
    rather than what it is for, on or part of ("cooler (for food)" is no food, "saddle (on an
    animal)" no part of a fowl, "railcar (part of a train)"), or what it is not ("pin (non
    jewelry)")? Those say what the thing is near, no more."""
    words = normalize(hint).replace("-", " ").split()
    return bool(words) and words[0] not in _RELATION_WORDS


def split_qualifier(name: str) -> tuple[str, str]:
    """(the name, its parenthetical sense hint): ``bat (animal)`` -> (``bat``, ``animal``)."""
    match = _QUALIFIED.match(name)
    if not match:
        return name, ""
    return match["name"].strip(" ,"), " ".join(match["hint"].split())


@lru_cache(maxsize=1 << 12)  # asked before and with the models
def junk_reason(name: str) -> str | None:
    """Why ``name`` is not a name at all (random characters, no letters), or None.

    >>> junk_reason("BHJ3@xhiC!Zm;}dC{U]Krc")
    'it looks like random characters (5 of 22 are symbols), not a name'
    """
    letters = sum(ch.isalpha() for ch in name)
    if not letters:
        return "it has no letters, so it names nothing"
    symbols = sum(not (ch.isalnum() or ch in _ALLOWED_SYMBOLS) for ch in name)
    if symbols and symbols * 10 > len(name):
        return f"it looks like random characters ({symbols} of {len(name)} are symbols), not a name"
    words = [w for w in re.split(r"[\s\-/]+", name) if w]
    noisy = [w for w in words if _noisy_word(w)]
    if noisy and len(noisy) == len(words):
        return f"it looks like random characters ({noisy[0]!r} is not a word), not a name"
    return None


def _noisy_word(word: str) -> bool:
    """A word no language writes: long without a vowel, case flipping twice inside it, or a
    capital inside it that starts no word of its own ("pIe", "kX", "DkG"; "iPhone" is fine)."""
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) >= 5 and not any(ch.lower() in _VOWELS for ch in letters):
        return all(ch.isascii() for ch in letters)  # scripts without these vowels are not noise
    flips = [i for i, (a, b) in enumerate(pairwise(letters), 1) if a.islower() and b.isupper()]
    if len(flips) >= 2:
        return True
    if not flips:
        return False
    inner = "".join(letters[flips[0]:])  # from the inner capital on: "Phone" of iPhone, "OS" of iOS
    return not ((len(inner) >= 3 and inner[1:].islower()) or (len(inner) >= 2 and inner.isupper()))


def too_short(name: str) -> bool:
    """Fewer than MIN_LETTERS letters of an alphabet: only a name in the store as written may link.
    (One Chinese character is a whole word: 狗 is dog.)"""
    return sum(ch.isalnum() for ch in name) < MIN_LETTERS and all(ord(ch) < 0x2E80 for ch in name)


class Lexicon(Protocol):
    """What finding base forms asks of a store."""

    def has_name(self, norm: str) -> bool: ...
    def morph_bases(self, form: str) -> list[str]: ...


class CachedLexicon:
    """A lexicon that asks the store each question once: a batch's names share their last words."""

    def __init__(self, store: Lexicon):
        self.store = store
        self._names: dict[str, bool] = {}
        self._bases: dict[str, list[str]] = {}

    def has_name(self, norm: str) -> bool:
        if norm not in self._names:
            self._names[norm] = self.store.has_name(norm)
        return self._names[norm]

    def morph_bases(self, form: str) -> list[str]:
        if form not in self._bases:
            self._bases[form] = self.store.morph_bases(form)
        return self._bases[form]


def base_forms(lexicon: Lexicon, name: str) -> list[str]:
    """Normalised forms of ``name`` that are names in the store: itself, or its singular by
    WordNet's exception list and detachment rules (applied to the last word)."""
    norm = normalize(name)
    found = [norm] if lexicon.has_name(norm) else []
    head, _, last = norm.rpartition(" ")
    prefix = f"{head} " if head else ""
    candidates = [prefix + base for base in lexicon.morph_bases(last)]
    candidates += [base for base in lexicon.morph_bases(norm)]
    candidates += [prefix + last[: -len(suffix)] + ending for suffix, ending in NOUN_RULES
                   if last.endswith(suffix) and len(last) > len(suffix)]
    for candidate in candidates:
        if candidate not in found and lexicon.has_name(candidate):
            found.append(candidate)
    return found


def variants(name: str) -> list[str]:
    """Other ways to write ``name`` (normalised), most likely first; see the module's rules."""
    written = normalize(name)
    norm = written.replace(" & ", " and ")
    words = norm.split(" ")
    found: list[str] = []

    def add(text: str) -> None:
        text = " ".join(text.split()).strip(" -")
        if text and text != written and text not in found:
            found.append(text)

    add(norm)
    if words[0] in ARTICLES and len(words) > 1:  # "a dog", as prompts name a class
        add(" ".join(words[1:]))
    add(_without_accents(norm))  # "piñata" -> "pinata", "béchamel sauce" -> "bechamel sauce"
    if any(w.endswith(".") for w in words):  # "st. bernard" -> "st bernard"
        add(" ".join(w.rstrip(".") for w in words))
    for short, full in ABBREVIATIONS.items():  # "st bernard" <-> "saint bernard"
        add(" ".join(full if w.rstrip(".") == short else w for w in words))
        add(" ".join(short if w == full else w for w in words))
    if words[0] == "common" and len(words) > 1:  # "common redshank" is the redshank
        add(" ".join(words[1:]))
    if "'" in norm:  # possessives: "sprenger's tulip" -> "sprengers tulip", "sprenger tulip"
        add(norm.replace("'s ", "s ").replace("'", ""))
        add(norm.replace("'s ", " ").replace("'", ""))
        add("".join(norm.replace("'", "").split()))  # Oxford Flowers' "colt's foot": coltsfoot
    if "-" in norm:  # "t-shirt" -> "t shirt", "tshirt"
        add(norm.replace("-", " "))
        add(norm.replace("-", ""))
    if len(words) >= 2:  # "wine glass" -> "wineglass", "wine-glass"; also the last two words only
        add("".join(words))
        add("-".join(words))
        add(" ".join([*words[:-2], words[-2] + words[-1]]))
    if len(words) >= 3:  # "ice skating rink" -> "ice-skating rink", "hot dog bun" -> "hotdog bun":
        for joint in ("-", ""):  # two neighbouring words of a longer name written as one
            for i in range(len(words) - 1):
                add(" ".join([*words[:i], words[i] + joint + words[i + 1], *words[i + 2:]]))
    if len(words) >= 2 and words[0].isalpha() and len(words[0]) >= 3 and not words[0].endswith("ing"):
        add(" ".join([ing_form(words[0]), *words[1:]]))  # a verb before a noun: "swim cap" -> "swimming cap"
    for spelled in (_american(norm), _british(norm)):
        if spelled != norm:
            add(spelled)
            if len(spelled.split()) >= 2:
                add("".join(spelled.split()))
    # alternatives joined by a slash, "moniter/tv": each, and the ways to write it; a slash
    # between digits is part of a number or a model ("Wolseley 24/80")
    for part in alternatives(norm):
        add(part)
        for other in variants(part):
            add(other)
    return found


def alternatives(norm: str) -> list[str]:
    """The names a slash (or "or") joins, in a normalised name: whole names when each side has
    as many words ("moniter/tv", "washing machine/drying machine"), else the two words beside
    it, each with the rest of the name: "cd/dvd duplicator" is a cd or a dvd duplicator, not a
    cd; "oldsmobile hurst/olds" an Oldsmobile, not "olds". A slash at an end is stray."""
    parts = [p for p in (p.strip() for p in _ALTERNATIVES.split(norm)) if p]
    if len(parts) <= 1:  # no slash, or a stray one at an end
        return [] if parts == [norm.strip()] else parts
    if len({len(p.split()) for p in parts}) == 1:
        return parts
    if len(parts) > 2:  # "boeing f/a-18e/f super hornet": no two words to choose between
        return []
    left, right = parts[0].split(), parts[1].split()
    return [" ".join([*left, *right[1:]]), " ".join([*left[:-1], *right])]


#: What label files call a class that is none: a detector's background, an unused id (11 of
#: torchvision's 91 COCO names are "N/A"), segmentation's void, unlabelled and other pixels.
PLACEHOLDERS = frozenset({"n/a", "na", "none", "null", "nil", "background", "bg", "unlabeled",
                          "unlabelled", "void", "ignore", "ignored", "other", "others", "misc", "misc.",
                          "miscellaneous", "unknown", "dontcare", "don't care", "dont care", "empty", "nothing",
                          "no object", "unused", "reserved"})


def placeholder(name: str) -> bool:
    """Is ``name`` what a label file calls a class that is none (PLACEHOLDERS), or a class number
    alone ("class 7", "class_7")?"""
    norm = normalize(name).strip(" _")
    return norm in PLACEHOLDERS or _CLASS_NUMBER.fullmatch(norm) is not None


_CLASS_NUMBER = re.compile(r"class[ _-]?\d+")


def synonym_list(name: str) -> list[str]:
    """The names of a class written as a list of synonyms, as ADE20K's classes and ImageNet's
    lemma lists are ("car, auto, automobile, machine, motorcar"; "tench, Tinca tinca"); a last
    one may begin with "and" or "or" ("Thorns, spines, and prickles"); or separated by
    semicolons, as ADE20K's objectInfo150 writes them ("building;edifice", and with the names'
    spaces as semicolons too: "door;double;door", which the linker joins again). [] without a
    comma or a semicolon."""
    parts = [_LIST_JOINER.sub("", p.strip()) for p in re.split(";" if ";" in name else ",", name)]
    return parts if len(parts) >= 2 and all(parts) else []


_LIST_JOINER = re.compile(r"^(?:and|or|&)\s+", re.IGNORECASE)


def listed_kinds(name: str) -> list[str]:
    """The names a label lists with "and" (and commas before it), each of one to
    LISTED_NAME_WORDS words: "Snails and slugs" -> ["Snails", "slugs"], "Ducks, geese and swans"
    -> ["Ducks", "geese", "swans"]. [] for a name with no "and" or "&", or with a longer part
    ("Peanut butter and jelly sandwich" is one thing)."""
    if not _LISTED_AND.search(name):
        return []
    parts = [p.strip() for p in _LISTED.split(name)]
    return parts if len(parts) >= 2 and all(0 < len(p.split()) <= LISTED_NAME_WORDS for p in parts) else []


LISTED_NAME_WORDS = 2
_LISTED_AND = re.compile(r"\s(?:and|&)\s", re.IGNORECASE)
_LISTED = re.compile(r"\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+", re.IGNORECASE)


#: A slash between letters joins alternatives (one at an end is stray: "Cuban passport/");
#: between digits it is part of a number or a model. So does "or" between words, as Kinetics
#: and ObjectNet write a class of either ("canoeing or kayaking", "Figurine or statue").
_ALTERNATIVES = re.compile(r"(?<=[^\W\d_])\s*/\s*(?=[^\W\d_])|^\s*/|/\s*$|(?<=[^\W\d_])\s+or\s+(?=[^\W\d_])")


#: A word that numbers a model, a version or a king: digits, or a Roman numeral to xii.
_MODEL_NUMBER = re.compile(r"\d+|(?i:i{1,3}|iv|vi{0,3}|ix|xi{0,2})")


def model_number(word: str) -> bool:
    """Is ``word`` a model's, a version's or a king's number ("iii" of "Gulfstream iii", "100"
    of "Steyr 100", "II" of "William II"), which is never a name's head?"""
    return _MODEL_NUMBER.fullmatch(word) is not None


def latin_letters(name: str) -> bool:
    """Is ``name`` written in the Latin alphabet (accents allowed), as English and the other
    languages of the store's Latin-script wordnets are: "Calzone", "Jamón", not "狗"?"""
    return all("LATIN" in unicodedata.name(ch, "") for ch in name if ch.isalpha())


def _without_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def ing_form(verb: str) -> str:
    """A verb's ``-ing`` form by the spelling rules: "shave" -> shaving, "swim" -> swimming (one
    vowel between consonants: the last doubled, but not w, x or y: "row" -> rowing), "open" ->
    opening, "fish" -> fishing."""
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    vowels = re.findall(r"[aeiou]+", verb)
    if len(vowels) == 1 and re.search(r"[^aeiou][aeiou][^aeiouwxy]$", verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def gerund_stems(name: str) -> list[str]:
    """The words an ``-ing`` form may be made from, when its last word is one: "rafting" ->
    raft, rafte; "shopping" -> shopp, shoppe, shop; "tiling" -> til, tile."""
    last = normalize(name).split()[-1] if name.strip() else ""
    if not last.endswith("ing") or len(last) < 6:
        return []
    return _stem_forms(last[:-3])


_NO_E_BEFORE = _VOWELS | {"w", "x"}  # "sawed", "boxed": no e was dropped after these


def _stem_forms(stem: str) -> list[str]:
    """The words an ending may have been added to: the stem, with an "e" it dropped, without a
    consonant it doubled ("rafte" of "raft", "shop" of "shopp"), likeliest first by English
    spelling: a doubled consonant was doubled by the ending ("matted" of mat, not matt), unless
    words end so ("dressed", "frilly"); a stem ending in one vowel and one consonant dropped an
    "e" ("striped" of stripe, not strip: "stripped" is strip's; "lined" of line)."""
    if len(stem) > 1 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:  # doubled
        return [stem[:-1], stem, stem + "e"] if stem[-1] not in "slfz" else [stem, stem[:-1], stem + "e"]
    if len(stem) >= 3 and stem[-1] not in _NO_E_BEFORE and stem[-2] in _VOWELS and stem[-3] not in _VOWELS:
        return [stem + "e", stem]
    return [stem, stem + "e"]


def adjective_stems(name: str) -> list[str]:
    """The nouns a one-word adjective in ``-ed`` or ``-y`` may be made from, as texture and
    attribute labels are (DTD's "cracked", "marbled", "matted", "scaly", "bumpy"): "cracked" ->
    crack, cracke; "matted" -> matt, matte, mat; "scaly" -> scal, scale; [] for any other name."""
    word = normalize(name)
    if " " in word or not word.isalpha() or len(word) < 5:
        return []
    for ending in ("ed", "y"):
        if word.endswith(ending):
            stem = word[: -len(ending)]  # "varied" of vary too
            return _stem_forms(stem) + ([stem[:-1] + "y"] if stem.endswith("i") else [])
    return []


SPLIT_PART = 3  # letters at least in each part of a word written solid ("abed" is never "a bed")
#: ... and in a part of a split the store has as a name ("tvmonitor", Pascal VOC's, the TV monitor)
NAMED_SPLIT_PART = 2


def compound_splits(name: str, part: int = SPLIT_PART) -> list[str]:
    """A one-word name of 2 * ``part`` letters or more split in two at each place, longest
    first part first: ``nightstand`` -> "nightst and", ..., "night stand", ... Which split is
    a name, or two words, of the store is for the caller to look up."""
    if " " in name or "-" in name or not name.isalpha() or len(name) < 2 * part:
        return []
    return [f"{name[:i]} {name[i:]}" for i in range(len(name) - part, part - 1, -1)]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def respellings(name: str, names: AbstractSet[str]) -> list[str]:
    """Names of the store (``names``, normalised) one typo away from ``name``, likeliest typos
    first: a letter left out, doubled or added, or two swapped; then a vowel for a vowel; then
    any letter replaced. Only in words of five letters or more, never in a word's first letter
    (rarely mistyped: "Crumble" is no rumble, "Halva" no Malva), and never a last letter too many
    (that is another word: "Gamer", "Bored", "Bento")."""
    parts = re.split(r"([ -])", normalize(name))  # words and what joins them: "pepto-bismol" is two words
    words = parts[::2]
    if len(words) > 2:  # a typo in a long name is rarer than a name the store lacks: not worth the search
        return []
    found: tuple[list[str], list[str], list[str]] = ([], [], [])
    for i, word in enumerate(words):
        if len(word) < 5 or not word.isalpha():
            continue
        before, after = "".join(parts[: 2 * i]), "".join(parts[2 * i + 1 :])
        splits = [(word[:j], word[j:]) for j in range(1, len(word) + 1)]  # the first letter stays
        slips = ({a + b[1:] for a, b in splits if len(b) > 1} | {a + b[1] + b[0] + b[2:] for a, b in splits
                                                                  if len(b) > 1}
                 | {a + c + b for a, b in splits for c in _LETTERS})
        vowels = {a + c + b[1:] for a, b in splits if b and b[0] in _VOWELS for c in "aeiouy"}
        others = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
        for tier, candidates in enumerate((slips, vowels, others)):
            hits = {before + c + after for c in candidates if c != word} & names  # one set operation, in C
            found[tier].extend(sorted(h for h in hits if not any(h in f for f in found)))
    return next((f for f in found if f), [])


def _american(text: str) -> str:
    text = _BRITISH_WORD.sub(lambda match: BRITISH_WORDS[match.group(1)], text)
    for british, american in SPELLING_INFIXES:  # "archaeological site" -> "archeological site"
        text = text.replace(british, american)
    return " ".join(_respell(word, _TO_AMERICAN) for word in text.split(" "))


def _british(text: str) -> str:
    return " ".join(_respell(word, _TO_BRITISH) for word in text.split(" "))


def _respell(word: str, rules: tuple[tuple[str, str], ...]) -> str:
    for suffix, replacement in rules:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    return word


SPELT_ALIKE = 8, 3  # letters at least, letters inserted at most: a compound spelt as a kind below its head
WORD = re.compile(r"[^\W_]+")
ALTERNATIVES = re.compile(r"(?=\b(\w+),? (?:and|or) (\w+))")  # "of Borneo and Sumatra", "red or white"
#: Words of a compound that say nothing about which concept it is.
FUNCTION_WORDS = frozenset({"and", "or", "of", "the", "a", "an", "with", "de", "du", "la", "le"})


def describes(modifiers: Sequence[str], concept: Concept, *, common_words: bool, head: str = "") -> bool:
    """Every content word of ``modifiers`` is a word of the concept's names or a proper name of
    its gloss (capitalised there: "small European finch"; not one of alternatives: the orangutan,
    "ape of Borneo and Sumatra", has a Sumatran kind, and the stonecrop, with "red or yellow or
    white flowers", a white one), or the same word with another ending
    ("European" and "Europe", "Australian" and "Australia"). ``common_words``: any word of the
    gloss counts ("a winder ... attached to a fishing rod"); right only for a concept with (almost)
    no kinds below it, which a compound is unlikely to be a new kind of ("leather" in the gloss
    of shoe does not make leather shoes the shoe). A name of the concept that holds the compound's
    ``head`` noun and ends with a modifier is the compound reversed, and says nothing: a "Dog
    toy" is no toy dog."""
    alternatives = _alternatives(concept.gloss)
    words = {w.casefold() for w in WORD.findall(concept.gloss)
             if (common_words or w[0].isupper()) and w.casefold() not in alternatives}
    wanted = [w for m in modifiers for w in WORD.findall(m) if w not in FUNCTION_WORDS]
    words.update(w for lemma in concept.lemmas if not reversed_compound(lemma, head, wanted)
                 for w in WORD.findall(normalize(lemma)))
    return bool(wanted) and all(any(_same_word(m, w) for w in words) for m in wanted)


def among_alternatives(modifiers: Sequence[str], gloss: str) -> bool:
    """A word of ``modifiers`` is one of alternatives the gloss gives: the orangutan, "ape of
    Borneo and Sumatra", spans the Sumatran one (see :func:`describes`)."""
    alternatives = _alternatives(gloss)
    return any(_same_word(w.casefold(), a) for m in modifiers for w in WORD.findall(m) for a in alternatives)


def _alternatives(gloss: str) -> set[str]:
    """The words a gloss gives as alternatives, case-folded: "of Borneo and Sumatra", "red or white"."""
    return {w.casefold() for pair in ALTERNATIVES.findall(gloss) for w in pair}


def reversed_compound(lemma: str, head: str, modifiers: Sequence[str]) -> bool:
    """``lemma`` holds a compound's ``head`` noun and ends with one of its ``modifiers``: the
    compound said the other way round, another thing ("toy dog" for "Dog toy")."""
    words = WORD.findall(normalize(lemma))
    return head in words[:-1] and words[-1] in modifiers


def named_by(modifiers: Sequence[str], head: str, lemma: str,
             synonyms: Collection[tuple[str, ...]] = ()) -> bool:
    """A kind below a compound's head is named by its modifiers: its name holds them all and ends
    with the head's noun or says nothing else ("African hunting dog" for "African wild dog",
    "capuchin" for "Capuchin monkey"; not "car horn" for "Car alarm"), or is the modifiers and
    another name of the head's sense, nothing more (``synonyms``, the words of those names:
    "ground rattler" for "Ground rattlesnake", "Pacific tree toad" for "Pacific Treefrog"), or
    written solid ("toyshop" for "Toy store")."""
    words = words_of(lemma)
    if len(words) == 1 and any(words[0] == "".join((*modifiers, *other)) for other in synonyms):
        return True
    return all(m in words for m in modifiers) and (
        words[-1] == head or set(words) <= set(modifiers)
        or any(words[-len(other):] == other and set(words[: -len(other)]) == set(modifiers) for other in synonyms))


def proper_name_longer(lemma: str, name: str) -> bool:
    """``lemma`` is a proper name (every word capitalised, as WordNet writes them) that says more
    than ``name``: "Salt lake" is a kind of lake, not the Great Salt Lake; a proper name is
    said in full, its spaces and punctuation aside ("New Years Day" is New Year's Day)."""
    words = lemma.split()
    return len(words) > 1 and all(w[:1].isupper() for w in words) and letters_of(lemma) != letters_of(name)


def words_beside(name: str, head: str) -> tuple[str, str] | None:
    """The words before and after ``head`` in ``name`` ("" at an end), normalised; a hyphened
    word that holds a one-word head gives its other parts: "Lagonda 3-litre" has "3" before
    "litre", "Sunbeam-talbot 90" "sunbeam" before "talbot" and "90" after. None when the head is
    not in the name."""
    words, said = normalize(name).split(), normalize(head).split()
    for i in range(len(words) - len(said) + 1):
        if words[i : i + len(said)] == said:
            end = i + len(said)
            return (words[i - 1] if i else ""), (words[end] if end < len(words) else "")
    for i, word in enumerate(words):
        parts = word.split("-")
        if len(said) == 1 and said[0] in parts:
            at = parts.index(said[0])
            return ("-".join(parts[:at]) or (words[i - 1] if i else ""),
                    "-".join(parts[at + 1 :]) or (words[i + 1] if i + 1 < len(words) else ""))
    return None


@lru_cache(maxsize=65_536)  # a batch's compounds share heads, so the same kinds' names come back
def words_of(name: str) -> tuple[str, ...]:
    """A name's words, normalised: "Brittany spaniel" -> ("brittany", "spaniel")."""
    return tuple(normalize(name).split())


@lru_cache(maxsize=65_536)
def letters_of(name: str) -> str:
    """A name's letters and digits alone: "Long-horned beetle" -> "longhornedbeetle"."""
    return "".join(WORD.findall(normalize(name)))


def spelt_alike(a: str, b: str) -> bool:
    """Two names are one with a few letters added to ends of the other's words, or a letter
    doubled, spaces and hyphens aside ("Longhorn beetle", "long-horned beetle"; "Sustain
    pedal", "sustaining pedal"; "Hotair ballon", "hot-air balloon"), and long enough for that to
    mean nothing else (SPELT_ALIKE). Other letters added inside a word make another word: "Ford
    lightning" is not forked lightning, nor "Camera battery" a car battery."""
    if abs(len(letters_of(a)) - len(letters_of(b))) > SPELT_ALIKE[1]:  # most pairs, at once (a hot loop)
        return False
    short, long = (a, b) if len(letters_of(a)) <= len(letters_of(b)) else (b, a)
    letters, target = letters_of(short), letters_of(long)
    if len(letters) < SPELT_ALIKE[0]:
        return False
    ends, end = set(), 0
    for word in WORD.findall(normalize(short)):
        end += len(word)
        ends.add(end)

    def match(i: int, j: int, added: int) -> bool:  # letters[i:] against target[j:], ``added`` so far
        if i == len(letters):
            return added + len(target) - j <= SPELT_ALIKE[1]
        if j < len(target) and letters[i] == target[j] and match(i + 1, j + 1, added):
            return True
        doubled = 0 < j < len(target) and target[j] == target[j - 1]  # "ballon", "balloon": a letter doubled
        return (i in ends or doubled) and j < len(target) and added < SPELT_ALIKE[1] and match(i, j + 1, added + 1)

    return match(0, 0, 0)


def _same_word(a: str, b: str) -> bool:
    """The same word, or with another ending: "European" and "Europe" ("Eastern" is not "East")."""
    short, long = sorted((a, b), key=len)
    return a == b or (long.startswith(short) and ((len(short) >= 5 and len(long) - len(short) <= 3)
                                                  or long == short + "n"))
