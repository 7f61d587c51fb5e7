"""Names as datasets write them: qualifiers, spelling variants, typos and junk (no store needed)."""

from __future__ import annotations

import pytest

from taxonomy.linking.names import junk_reason, respellings, split_qualifier, too_short, variants


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
    ("salt & pepper", "salt and pepper"), ("Moniter/TV", "tv"), ("Washing Machine/Drying Machine", "washing machine"),
    ("color", "colour"), ("catalog", "catalogue"), ("Common redshank", "redshank"),
])
def test_variants_cover_the_ways_datasets_write_names(name: str, variant: str) -> None:
    assert variant in variants(name)


def test_typos_are_fixed_only_into_names_the_store_has() -> None:
    names = {"balloon", "ballot", "camel", "butterfly", "extension cord", "monitor", "moniker", "monster",
             "kindergarten"}
    assert respellings("Ballon", names.__contains__) == ["balloon"]  # a letter left out beats one replaced
    assert respellings("Campel", names.__contains__) == ["camel"]
    assert respellings("Buttefly", names.__contains__) == ["butterfly"]
    assert respellings("Extention Cord", names.__contains__) == ["extension cord"]
    assert respellings("Moniter", names.__contains__) == ["monitor"]  # a vowel for a vowel first
    assert respellings("cat", names.__contains__) == []  # short words are left alone
    assert respellings("zqxwv", names.__contains__) == []


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
