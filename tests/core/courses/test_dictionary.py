"""The packaged competency dictionary loads with every code and five described levels."""

from __future__ import annotations

from elearn.competency import load_dictionary


def test_dictionary_has_managerial_and_socio_cultural_codes() -> None:
    dictionary = load_dictionary()
    assert sorted(dictionary) == [f"M.0{n}" for n in range(1, 9)] + ["SK.01"]
    assert dictionary["SK.01"].kind == "socio_cultural" and dictionary["M.01"].kind == "managerial"


def test_dictionary_levels_keyed_one_to_five_with_indicators() -> None:
    integrity = load_dictionary()["M.01"]
    assert integrity.name == "Integritas" and integrity.name_en == "Integrity"
    assert sorted(integrity.levels) == [1, 2, 3, 4, 5]
    assert integrity.levels[1].level == 1 and integrity.levels[1].indicators
    assert integrity.levels[3].description.startswith("Mampu memastikan")
