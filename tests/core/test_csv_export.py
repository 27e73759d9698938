"""Cells a spreadsheet would run as a formula are made plain text."""
import pytest

from wellbeing.core.csv_export import csv_text, safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_become_text(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_cells_and_blanks_are_kept():
    assert safe_cell("Ada") == "Ada" and safe_cell(None) == "" and safe_cell(5) == 5
    assert safe_cell(-0.5) == -0.5  # a number, not a formula
    assert csv_text(["a", "b"], [["=x", "y, z"]]) == 'a,b\r\n\'=x,"y, z"\r\n'
