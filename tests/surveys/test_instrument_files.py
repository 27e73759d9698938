"""Instrument definitions are checked when the app starts, with a message naming the file
and the field."""
import shutil

import pytest

import wellbeing.instruments as catalogue
from wellbeing.instruments import HERE, InstrumentError, load_directory


def _copy_with(tmp_path, name, old, new):
    for path in HERE.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / name
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    return tmp_path


def test_shipped_instruments_match_their_published_definitions():
    found = load_directory(HERE)
    assert set(found) == {"SCS-SF", "PSS-10", "WHO-5"}
    scs, pss, who = found["SCS-SF"], found["PSS-10"], found["WHO-5"]
    assert (len(scs.items), scs.scale_min, scs.scale_max) == (12, 1, 5)
    assert scs.reverse == {1, 4, 8, 9, 11, 12} and len(scs.subscales) == 6
    assert {s.items for s in scs.subscales} == {(2, 6), (11, 12), (5, 10), (4, 8), (3, 7),
                                                (1, 9)}
    assert (len(pss.items), pss.scale_min, pss.scale_max, pss.total_max) == (10, 0, 4, 40)
    assert pss.reverse == {4, 5, 7, 8} and "last month" in pss.instructions
    assert (who.multiplier, who.total_max) == (4, 100)
    # PSS-10 item 9 in the 10-item wording, not the 14-item one ("… that happened …")
    assert pss.items[8].text == ("been angered because of things that were outside of "
                                 "your control?")
    # Which way is better, for pages that must say it in words.
    assert (scs.better, pss.better, who.better) == ("higher", "lower", "higher")
    assert {s.key: s.better for s in scs.subscales} == {
        "self_kindness": "higher", "self_judgment": "lower", "common_humanity": "higher",
        "isolation": "lower", "mindfulness": "higher", "over_identification": "lower"}
    assert all("reversed" not in s.name for s in scs.subscales)
    assert "reliabl" in scs.subscale_note
    for instrument in found.values():
        assert instrument.citation and instrument.licence
        assert 0 < instrument.reliability < 1 and instrument.norm_sd > 0


def test_titles_name_the_code_once_without_doubled_parentheses():
    found = load_directory(HERE)
    assert found["PSS-10"].title == "Perceived Stress Scale (10 items, PSS-10)"
    assert found["SCS-SF"].title == "Self-Compassion Scale – Short Form (SCS-SF)"
    assert found["WHO-5"].title == "WHO-5 Well-Being Index"
    for instrument in found.values():
        assert ") (" not in instrument.title and instrument.title.count(instrument.code) == 1


@pytest.mark.parametrize("name, old, new, message", [
    ("pss_10.yaml", "reverse: [4, 5, 7, 8]", "reverse: [4, 5, 7, 11]",
     "pss_10.yaml: field 'reverse'"),
    ("scs_sf.yaml", "  rule: mean\n", "  rule: median\n", "scs_sf.yaml: field 'total.rule'"),
    ("who_5.yaml", "  max: 100\n", "  max: 25\n", "who_5.yaml: field 'total.min/max'"),
    ("who_5.yaml", "citation: >-", "unused: >-", "who_5.yaml: field 'citation': is missing"),
    ("pss_10.yaml", "{n: 3, ", "{n: 4, ", "pss_10.yaml: field 'items[3].n'"),
    ("scs_sf.yaml", "code: SCS-SF", "code: PSS-10", "field 'code': PSS-10 is already defined"),
    ("who_5.yaml", "  value: 0.84", "  value: 84", "who_5.yaml: field 'reliability.value'"),
])
def test_a_broken_file_is_named_with_its_field(tmp_path, name, old, new, message):
    directory = _copy_with(tmp_path, name, old, new)
    with pytest.raises(InstrumentError) as error:
        load_directory(directory)
    assert message in str(error.value)


def test_the_app_refuses_to_start_with_a_broken_instrument(tmp_path, monkeypatch):
    directory = _copy_with(tmp_path, "pss_10.yaml", "  max: 4\n", "  max: three\n")
    monkeypatch.setattr(catalogue, "HERE", directory)
    monkeypatch.setattr(catalogue, "_REGISTRY", None)
    from wellbeing import create_app
    with pytest.raises(InstrumentError, match="pss_10.yaml: field 'scale.max'"):
        create_app({"PROFILE": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
