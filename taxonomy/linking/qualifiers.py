"""What a label's qualifier says: "bat (animal)", "mouse (computer)", "cabin (outdoor)", "pin
(non jewelry)", "Jaguar (Automobile)". Datasets write a sense hint after the name; it is no part
of the name. It names the class a sense lies under, words of the sense's gloss, what the thing
is not, or a class none of the name's senses is in (then the name is a new kind of that class).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from taxonomy.linking import below_head, headnoun
from taxonomy.linking.below_head import HEAD_SENSES_SEARCHED
from taxonomy.linking.label_senses import IMAGED_LEXNAMES
from taxonomy.linking.names import NEGATIONS, WORD, base_forms, names_a_class, words_of
from taxonomy.text import normalize

if TYPE_CHECKING:
    from taxonomy.linking.linker import Linker
    from taxonomy.linking.results import LinkResult

ROOM = "n04105893"  # WordNet's room: inside, where a qualifier says outside (_not_what_hint_denies)
OUTSIDE = frozenset({"outdoor", "outdoors", "exterior", "outside"})  # qualifiers that say so (Places365's)
NEAR_FAMILY = 250  # kinds below a grandparent of a sense whose names say what a qualifier is (_names_kinds_beside)
HINT_KINDS_SEARCHED = 2000  # kinds below a qualifier's sense searched for one it names ("Brittany (dog)")


def named_below_hint(linker: Linker, result: LinkResult, senses: Sequence[str]) -> bool:
    """A name whose qualifier names a class that none of its senses is in, and none of whose
    senses is a thing images show, means the kind of that class named by it: "Brittany (dog)"
    is the Brittany spaniel, not the region ("Snorkel (swimming)" stays the tube, not
    snorkeling). The first kind (of up to HINT_KINDS_SEARCHED below each of the qualifier's
    first senses) whose name begins with the name's words."""
    lexnames = linker.words.lexnames()
    if not names_a_class(result.hint) or any(lexnames.get(sense) in IMAGED_LEXNAMES for sense in senses):
        return False
    words = words_of(result.lookup)
    graph = linker.store.graph
    for hint in linker.words.senses(result.hint)[0][:3]:
        kinds = [c for c in graph.descendants(hint, limit=HINT_KINDS_SEARCHED) if c not in linker.hidden]
        for kind, lemmas in linker.words.lemmas(kinds).items():
            if any(words_of(lemma)[: len(words)] == words for lemma in lemmas):
                return below_head.same_below_head(linker, result, kind, f"{lemmas[0]!r} is a kind of {result.hint!r}")
    return False


def not_what_hint_denies(linker: Linker, result: LinkResult, senses: list[str]) -> list[str]:
    """The senses a qualifier that says what the thing is not leaves ("pin (non jewelry)": no
    brooch), if it leaves any; one that says it is outside leaves no room (Places365's "cabin
    (outdoor)" is the cabin in the woods, not a ship's; "library (outdoor)" the building)."""
    words = normalize(result.hint).replace("-", " ").split()
    graph = linker.store.graph
    if " ".join(words) in OUTSIDE and ROOM in graph:
        return [s for s in senses if s not in graph or not graph.is_a(s, ROOM)] or senses
    if len(words) < 2 or words[0] not in NEGATIONS:
        return senses
    denied = [c for c in linker.words.senses(" ".join(words[1:]))[0][:8] if c in graph]
    kept = [s for s in senses if s not in denied and not any(graph.is_a(s, d) for d in denied if s in graph)]
    return kept or senses


def hinted(linker: Linker, result: LinkResult, senses: list[str]) -> set[str]:
    """The senses the qualifier points at: it names them, or they lie under what it names, in
    the first of its senses that any lies under ("salmon (fish)" is the fish, under fish the
    animal, not its flesh, under fish the food, the qualifier's second sense)."""
    if not names_a_class(result.hint):  # "cooler (for food)": no food
        return set()
    hints = linker.words.senses(result.hint)[0][:8]
    if not hints:
        head = result.hint.split()[-1]
        hints = linker.words.senses(head)[0][:8]
    graph = linker.store.graph
    hinted = next((found for found in ({s for s in senses if s == h or graph.is_a(s, h)} for h in hints)
                   if found), set())
    # or whose gloss says it is one: WordNet files "bus" ("a vehicle carrying many passengers")
    # under public transport, not vehicle
    word = normalize(result.hint).split()[-1]
    rest = [c for c in linker.store.concepts([s for s in senses if s not in hinted])
            if word in normalize(c.gloss)]  # a gloss without the word has it for no genus (and needs no parse)
    genera = headnoun.genus_words([c.gloss for c in rest]) if rest else []
    return hinted | {c.id for c, genus in zip(rest, genera, strict=True) if genus and normalize(genus) == word}


def qualifier_reading(linker: Linker, result: LinkResult, senses: Sequence[str]) -> tuple[set[str], list[str]]:
    """What a qualifier that no sense lies under still says: the senses whose gloss names it
    ("Groom (Horses)": "someone employed in a stable to take care of the horses"; "Pitcher
    (Baseball)" the player), else those of its class's lexicographer file ("Comb (Bird)" the
    crest, "Horn (Animal)" the bony outgrowth); with neither, the class itself, of which the name is a
    new kind: "Jaguar (Automobile)" is no big cat, "Tango (Drink)" no dance, "Skipper
    (butterfly)" no ship's master. The class is the qualifier's first sense among its first
    three in a file images show (IMAGED_LEXNAMES; a top concept stands for most of its kinds';
    one continent or river is no class), returned with the others of other files, if any (how
    sure the class is). Only for a name without a description (that decides for itself)."""
    if not names_a_class(result.hint) or result.description or not senses:
        return set(), []
    word = normalize(result.hint).split()[-1]
    lexicon = linker.words.lexicon
    forms = {word, *base_forms(lexicon, word)}
    tied = {c.id for c in linker.store.concepts(list(senses)) if any(
        w in forms or forms.intersection(base_forms(lexicon, w)) for w in WORD.findall(normalize(c.gloss)))}
    if tied:
        return tied, []
    graph, lexnames = linker.store.graph, linker.words.lexnames()
    files: dict[str, str] = {}  # class -> the file of what it names
    for h in (linker.words.senses(result.hint)[0] or linker.words.senses(word)[0])[:3]:
        if lexnames.get(h) in IMAGED_LEXNAMES and not linker.words.is_instance(h):  # a tool, not the person used as
            # one; a kind, not one continent: "temple (asia)" is a temple in Asia
            kinds = Counter(lexnames.get(k, "") for k in graph.children(h))
            files[h] = kinds.most_common(1)[0][0] if lexnames[h] == "noun.Tops" and kinds else lexnames[h]
    of_file = {c for c in senses if lexnames.get(c) in files.values()}
    if of_file or not files or _names_kinds_beside(linker, normalize(result.hint), senses):
        return of_file, []
    first, *others = files
    return set(), [first, *(h for h in others if files[h] != files[first])]


def _names_kinds_beside(linker: Linker, modifier: str, senses: Sequence[str]) -> bool:
    """Does ``modifier`` begin names of kinds beside the senses (below their grandparents)? Then
    a qualifier of that name is a modifier, not a class: "Bull terrier (miniature)" is a
    miniature bull terrier, as the miniature poodle and pinscher are dogs, no new kind of
    model; "Poodle (toy)" the toy poodle. Up to HINT_KINDS_SEARCHED such names are read; a
    grandparent with more than NEAR_FAMILY kinds is no near family (organism, implement: some
    "butterfly bush" or "food turner" is always below them)."""
    graph = linker.store.graph
    near = {g for s in senses[:HEAD_SENSES_SEARCHED] for p in graph.parents(s) for g in graph.parents(p)
            if graph.descendant_count(g) <= NEAR_FAMILY}
    return any(linker.words.kind_of_any(linker.store.senses(name, "en"), list(near))
               for name in linker.store.names_with_prefix(modifier + " ", HINT_KINDS_SEARCHED))
