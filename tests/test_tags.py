"""Visual and common tags: priors, 3-of-5 votes, replacement of votes, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taxonomy import InputError, Store, UnknownConcept
from taxonomy.cli import main
from taxonomy.formats import export
from taxonomy.tags import decide, tags, vote


@pytest.fixture()
def store(writable_store: Store) -> Store:
    return writable_store


def test_decide_needs_three_agreeing_votes() -> None:
    assert decide(0, 0) == (2, "")
    assert decide(2, 2) == (2, "")
    assert decide(3, 2) == (1, "votes")
    assert decide(1, 3) == (0, "votes")
    assert decide(2, 1, given=0) == (0, "given")  # a decision that came with the concept stands
    assert decide(3, 0, given=0) == (1, "votes")  # until 3 annotators agree otherwise


@pytest.mark.slow
def test_every_concept_has_priors_with_their_method(store: Store) -> None:
    dog = tags(store, "n02084071")
    assert dog["visual"].prior_method == "dataset label" and dog["visual"].prior_score == 0.97
    assert dog["common"].prior_method.startswith("sense frequency") and dog["common"].prior_score > 0.9
    thought = tags(store, "n05833840")  # idea, thought: noun.cognition
    assert thought["visual"].prior_score < 0.1 and thought["visual"].prior_method == "lexname noun.cognition"
    assert len({concept for concept, _ in store.prior_rows()}) == 82115
    assert dog["visual"].decision == 2 and dog["visual"].decided_by == ""


def test_three_of_five_votes_decide_and_a_new_vote_replaces_the_old(writable_tiny_store: Store) -> None:
    store = writable_tiny_store  # corgi came with no decision
    vote(store, "corgi", "ann", {"visual": 1})
    vote(store, "corgi", "bob", {"visual": 1})
    state = tags(store, "corgi")["visual"]
    assert (state.decision, state.yes, state.no, state.yes_fraction) == (2, 2, 0, 1.0)
    vote(store, "corgi", "cat", {"visual": 1, "common": 0})
    state = tags(store, "corgi")["visual"]
    assert (state.decision, state.decided_by) == (1, "votes")
    vote(store, "corgi", "ann", {"visual": 0})  # ann changes her mind: 2 yes, 1 no
    state = tags(store, "corgi")["visual"]
    assert (state.decision, state.yes, state.no) == (2, 2, 1)
    assert state.votes == {"ann": 0, "bob": 1, "cat": 1}
    for name in ("dan", "eve"):
        vote(store, "corgi", name, {"visual": 0})
    assert tags(store, "corgi")["visual"].decision == 0  # 3 no of 5
    with pytest.raises(InputError, match="already has 5 votes on visual"):
        vote(store, "corgi", "fay", {"visual": 1})
    vote(store, "corgi", "eve", {"visual": 1})  # a voter may still change
    assert tags(store, "corgi")["visual"].decision == 1
    assert tags(store, "corgi")["common"].no == 1


def test_votes_are_refused_clearly(writable_tiny_store: Store) -> None:
    store = writable_tiny_store
    with pytest.raises(InputError, match="annotator name is empty"):
        vote(store, "corgi", "   ", {"visual": 1})
    with pytest.raises(InputError, match="bad annotator name"):
        vote(store, "corgi", "a\x00b", {"visual": 1})
    with pytest.raises(UnknownConcept, match="no such concept: 'corgy'"):
        vote(store, "corgy", "ann", {"visual": 1})
    with pytest.raises(InputError, match="nothing to vote on"):
        vote(store, "corgi", "ann", {})
    assert list(store.table_rows("votes")) == []


def test_votes_do_not_recompile_the_graph(writable_tiny_store: Store) -> None:
    store = writable_tiny_store
    graph_version = store.graph_version
    vote(store, "corgi", "ann", {"visual": 1})
    tags_version = store.tags_version
    vote(store, "corgi", "bob", {"visual": 1})
    assert store.graph_version == graph_version and store.tags_version == tags_version + 1


@pytest.mark.slow
def test_the_cli_and_the_jsonl_export_carry_the_tags(store: Store, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = str(store.path)
    for name in ("a1", "a2", "a3"):
        assert main(["vote", "n02084071", "--visual", "yes", "--common", "no", "--annotator", name,
                     "--store", path]) == 0
    out = capsys.readouterr().out
    assert "visual: yes by votes; votes 3 yes / 0 no (100% yes: a1=yes, a2=yes, a3=yes)" in out
    assert main(["tags", "n02084071", "--store", path, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["common"]["decision"] == 0 and shown["common"]["no"] == 3
    assert main(["vote", "dog", "--visual", "yes", "--annotator", "a4", "--store", path]) == 2
    assert "has 7 senses" in capsys.readouterr().err
    assert main(["vote", "n02084071", "--visual", "maybe", "--annotator", "a4", "--store", path]) == 2
    assert "a vote is 'yes' or 'no'" in capsys.readouterr().err
    out_file = tmp_path / "all.jsonl"
    with Store.open(path) as reread:
        export(reread, "jsonl", out_file, root="n02083346")  # canine and below
    rows = {json.loads(line)["id"]: json.loads(line) for line in out_file.read_text().splitlines()}
    assert rows["n02084071"]["visual"] == 1
    assert rows["n02084071"]["tags"]["visual"] == {"decision": 1, "decided_by": "votes", "prior_score": 0.97,
                                                    "prior_method": "dataset label", "yes": 3, "no": 0}
    assert rows["n02085620"]["tags"]["visual"]["decision"] == 2  # Chihuahua: nobody voted
