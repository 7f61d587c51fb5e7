"""WordNet 3.0 nouns read through nltk: concept and edge records, ids in the ImageNet form."""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taxonomy.errors import TaxonomyError
from taxonomy.model import ConceptRecord, EdgeRecord
from taxonomy.paths import data_dir, user_cache_dir
from taxonomy.progress import Progress

if TYPE_CHECKING:
    from nltk.corpus.reader.wordnet import Synset

#: Where Debian's wordnet-base package puts the Princeton database files.
DEBIAN_WORDNET_DIR = Path("/usr/share/wordnet")
#: The files nltk's reader opens (Debian ships all but ``lexnames``).
_WORDNET_FILES = (
    [f"{kind}.{pos}" for kind in ("index", "data") for pos in ("noun", "verb", "adj", "adv")]
    + [f"{pos}.exc" for pos in ("noun", "verb", "adj", "adv")]
    + ["cntlist.rev", "index.sense"]  # nltk's reader maps sense keys through index.sense on load
)
SOURCE = "wordnet"
#: The senses of a verb (WordNet's order, most frequent first) whose acts a word made from it
#: names (see _verb_acts); the rest are rarer uses a label seldom means ("play" has 35 senses).
VERB_SENSES = 3


@dataclass(frozen=True, slots=True)
class WordNetNouns:
    """Everything the build needs from WordNet: noun concepts, their edges, and the version."""

    concepts: list[ConceptRecord]
    edges: list[EdgeRecord]
    version: str
    reader: str
    exceptions: list[tuple[str, str]]  # noun.exc: (inflected form, base form)
    members: list[tuple[str, str]]  # member holonymy: (whole, member), "genus Phacochoerus" has "warthog"
    verb_acts: list[tuple[str, str, int]]  # (verb, act, rank): the acts a verb names ("bike": cycling)


def usage_domains(synset: Synset) -> list[str]:
    """The usage domains WordNet gives a synset or one of its lemmas ("slang", "ethnic slur")."""
    domains = [*synset.usage_domains(), *(d for lemma in synset.lemmas() for d in lemma.usage_domains())]
    synsets = [d.synset() if hasattr(d, "synset") else d for d in domains]  # a lemma's pointer ends at a lemma
    return sorted({s.lemmas()[0].name().replace("_", " ") for s in synsets})


def synset_id(synset: Synset) -> str:
    """The ImageNet/Bamboo id of a noun synset: ``n`` + 8-digit WN 3.0 offset."""
    return f"n{synset.offset():08d}"


def _has_wordnet(root: Path) -> bool:
    return (root / "corpora" / "wordnet" / "data.noun").is_file()


def prepare_nltk_data(wordnet_dir: Path | None = None, cache: Path | None = None) -> Path:
    """Return an NLTK data folder holding WordNet 3.0, laying one out from Debian's files if needed.

    nltk refuses files that resolve outside its data folder, so the Debian files are copied (not
    linked) into ``<cache>/nltk_data/corpora/wordnet`` together with the ``lexnames`` file that
    Debian does not ship.
    """
    if wordnet_dir is None:
        for candidate in _existing_nltk_dirs():
            if _has_wordnet(candidate) and (candidate / "corpora" / "wordnet" / "lexnames").is_file():
                return candidate
        wordnet_dir = DEBIAN_WORDNET_DIR
    if _has_wordnet(wordnet_dir):  # already an NLTK data folder
        return wordnet_dir
    if not (wordnet_dir / "data.noun").is_file():
        raise TaxonomyError(
            f"WordNet 3.0 not found in {str(wordnet_dir)!r}; install it with "
            "'apt-get install wordnet-base wordnet-sense-index', or pass --wordnet-dir "
            "with a folder holding data.noun and index.noun"
        )
    target = (cache or user_cache_dir()) / "nltk_data" / "corpora" / "wordnet"
    target.mkdir(parents=True, exist_ok=True)
    for name in _WORDNET_FILES:
        source = wordnet_dir / name
        dest = target / name
        if source.is_file() and (not dest.is_file() or dest.stat().st_size != source.stat().st_size):
            shutil.copyfile(source, dest)
    shutil.copyfile(data_dir() / "wordnet" / "lexnames", target / "lexnames")
    return target.parent.parent


def _existing_nltk_dirs() -> Iterator[Path]:
    for entry in os.environ.get("NLTK_DATA", "").split(os.pathsep):
        if entry:
            yield Path(entry)
    yield Path.home() / "nltk_data"


def load_wordnet(nltk_data: Path) -> Any:
    """An nltk WordNet reader over ``nltk_data`` (imported lazily: nltk is a build-time need)."""
    try:
        import nltk
        from nltk.corpus.reader.wordnet import WordNetCorpusReader
    except ImportError as missing:  # pragma: no cover - nltk is a core dependency
        raise TaxonomyError("nltk is needed to read WordNet; pip install nltk") from missing
    if str(nltk_data) not in nltk.data.path:  # nltk >= 3.10 reads only inside its data path
        nltk.data.path.insert(0, str(nltk_data))
    with warnings.catch_warnings():  # we do not use nltk's multilingual functions
        warnings.simplefilter("ignore", UserWarning)
        return WordNetCorpusReader(str(nltk_data / "corpora" / "wordnet"), None)


def read_nouns(
    wordnet_dir: Path | None = None, progress: Progress | None = None
) -> WordNetNouns:
    """Read every WordNet noun synset, with lemmas, gloss, lexicographer file and is-a edges."""
    nltk_data = prepare_nltk_data(wordnet_dir)
    wn = load_wordnet(nltk_data)
    version = f"Princeton WordNet {wn.get_version()}"
    reader = f"nltk {_nltk_version()}"
    synsets = list(wn.all_synsets("n"))
    ranks = _noun_sense_ranks(wn)
    counts = _tag_counts(nltk_data / "corpora" / "wordnet" / "cntlist.rev")
    pointer_order = _hypernym_pointer_order(nltk_data / "corpora" / "wordnet" / "data.noun")
    concepts: list[ConceptRecord] = []
    edges: list[EdgeRecord] = []
    members: list[tuple[str, str]] = []
    for done, synset in enumerate(synsets, 1):
        concept_id = synset_id(synset)
        lemmas = synset.lemmas()
        concepts.append(
            {
                "id": concept_id,
                "name": lemmas[0].name().replace("_", " "),
                "lemmas": [lemma.name().replace("_", " ") for lemma in lemmas],
                "gloss": synset.definition(),
                "lexname": synset.lexname(),
                "source": SOURCE,
                "lemma_counts": [counts.get(lemma.key(), 0) for lemma in lemmas],
                "external_ids": {"wn30": [f"{synset.offset():08d}-n"]},
                "sense_ranks": [ranks[(lemma.name().lower(), synset.offset())] for lemma in lemmas],
                "usage": usage_domains(synset),
            }
        )
        # nltk keeps pointers in a set (its order changes between runs): use the file's order.
        order = pointer_order.get(synset.offset(), [])
        parents = [("hypernym", p) for p in synset.hypernyms()] + [
            ("instance_hypernym", p) for p in synset.instance_hypernyms()]
        parents.sort(key=lambda kp: order.index(kp[1].offset()) if kp[1].offset() in order else len(order))
        for kind, parent in parents:
            edges.append(
                {"child": concept_id, "parent": synset_id(parent), "kind": kind,
                 "method": SOURCE, "score": 1.0, "source_version": version}
            )
        members += _members(synset)
        if progress and (done % 2000 == 0 or done == len(synsets)):
            progress("reading WordNet", done, len(synsets))
    exceptions = _noun_exceptions(nltk_data / "corpora" / "wordnet" / "noun.exc")
    return WordNetNouns(concepts, edges, version, reader, exceptions, members, _verb_acts(wn))


def read_relations(wordnet_dir: Path | None = None) -> tuple[list[tuple[str, str]], list[tuple[str, str, int]]]:
    """WordNet's member holonymy and its verbs' acts: the tables a store upgraded from before
    schema 7 and 8 has empty (``taxonomy check --repair`` fills them from here)."""
    wn = load_wordnet(prepare_nltk_data(wordnet_dir))
    return [pair for synset in wn.all_synsets("n") for pair in _members(synset)], _verb_acts(wn)


def _members(synset: Synset) -> list[tuple[str, str]]:
    """(whole, member) pairs of one noun synset: "genus Phacochoerus" has "warthog"."""
    return sorted((synset_id(synset), synset_id(m)) for m in synset.member_meronyms())


def _verb_acts(wn: Any) -> list[tuple[str, str, int]]:
    """(verb, act, rank) for every one-word verb: the noun.act synsets derivationally related to
    its first VERB_SENSES senses (through any of a sense's lemmas: "bike" is a lemma of the sense
    whose "cycle" makes cycling), or, for a sense with none, to the senses it is a kind of
    ("canoe", "kayak": to boat, whose act is boating). An activity label made from a verb names
    one of them ("Mountain biking", "Canoeing"); rank orders them by sense, then by synset."""
    rows: list[tuple[str, str, int]] = []
    for verb in sorted(name for name in wn.all_lemma_names("v") if name.isalpha()):
        senses = [s for s in wn.synsets(verb, "v") if any(lemma.name().lower() == verb for lemma in s.lemmas())]
        acts: list[str] = []
        for sense in senses[:VERB_SENSES]:
            found = _acts_of(sense) or sorted({a for kind in sense.hypernyms() for a in _acts_of(kind)})
            acts += [a for a in found if a not in acts]
        rows += [(verb, act, rank) for rank, act in enumerate(acts)]
    return rows


def _acts_of(verb_sense: Any) -> list[str]:
    """The noun.act synsets derivationally related to a lemma of ``verb_sense``, by offset."""
    return sorted({synset_id(form.synset()) for lemma in verb_sense.lemmas()
                   for form in lemma.derivationally_related_forms()
                   if form.synset().pos() == "n" and form.synset().lexname() == "noun.act"})


def _noun_sense_ranks(wn: Any) -> dict[tuple[str, int], int]:
    """(lemma, offset) -> sense number (1 = most frequent), from nltk's index.noun map."""
    ranks: dict[tuple[str, int], int] = {}
    for lemma, by_pos in wn._lemma_pos_offset_map.items():
        for rank, offset in enumerate(by_pos.get("n", ()), 1):
            ranks[(lemma, offset)] = rank
    return ranks


def _tag_counts(cntlist: Path) -> dict[str, int]:
    """Sense key -> SemCor tag count, read once (nltk's Lemma.count() searches the file per call)."""
    counts: dict[str, int] = {}
    if cntlist.is_file():
        with open(cntlist, encoding="utf-8") as lines:
            for line in lines:
                key, _, count = line.split()
                counts[key] = int(count)
    return counts


def _hypernym_pointer_order(data_noun: Path) -> dict[int, list[int]]:
    """offset -> hypernym and instance-hypernym targets in the order data.noun lists them."""
    order: dict[int, list[int]] = {}
    with open(data_noun, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(" "):  # the license header
                continue
            fields = line.split(" | ", 1)[0].split()
            word_count = int(fields[3], 16)
            at = 4 + 2 * word_count
            pointer_count = int(fields[at])
            pointers = fields[at + 1 : at + 1 + 4 * pointer_count]
            order[int(fields[0])] = [
                int(pointers[k + 1]) for k in range(0, len(pointers), 4)
                if pointers[k] in ("@", "@i") and pointers[k + 2] == "n"
            ]
    return order


def _nltk_version() -> str:
    import nltk

    return str(nltk.__version__)


def _noun_exceptions(path: Path) -> list[tuple[str, str]]:
    """(form, base) pairs of WordNet's noun exception list ("mice mouse"), names with spaces."""
    pairs: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            form, *bases = line.split()
            pairs.extend((form.replace("_", " "), base.replace("_", " ")) for base in bases)
    return pairs
