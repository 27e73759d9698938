"""CSV downloads that a spreadsheet opens safely.

A cell that begins with =, +, -, @, a tab or a carriage return is read by Excel and
LibreOffice as a formula (CSV injection: a name like `=HYPERLINK(...)` typed into a form
would run on HR's machine); | and % start DDE and macro forms in older versions. Such
cells get a leading apostrophe, which spreadsheets show as text and do not evaluate.
This is the one list: every CSV the app writes goes through `safe_cell`."""
import csv
import io
from collections.abc import Iterable

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def safe_cell(value):
    """Numbers stay numbers (a negative change is -0.4, not text); text that would run
    as a formula gets its apostrophe."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: list[str], rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def csv_download(filename: str, header: list[str], rows: Iterable[Iterable]) -> Response:
    """A CSV attachment, with a byte order mark so Excel reads UTF-8 names correctly."""
    body = "\ufeff" + csv_text(header, rows)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})
