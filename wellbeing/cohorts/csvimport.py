"""Reading and checking an enrollment CSV: every row gets a status and, when it cannot be
imported, a reason HR can act on. Nothing here writes; see enrollment.py for that."""
import csv
import functools
import io
import re

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from ..auth.models import PARTICIPANT, User
from ..core.bulk import chunks
from ..core.formfields import ASCII_LOCAL_PART
from ..core.timeutil import all_timezones, now_utc
from ..core.words import counted
from ..extensions import db
from . import schedule
from .models import WITHDRAWN, Cohort, Enrollment

MAX_ROWS = 20_000
NEW, EXISTING, ERROR = "new", "existing", "error"
COLUMNS = {
    "email": ("email", "e-mail", "email address", "e-mail address", "work email", "mail"),
    "name": ("name", "full name", "fullname", "display name"),
    "department": ("department", "dept", "team"),
    "locale": ("locale", "language", "lang"),
    "timezone": ("time zone", "timezone", "tz", "time_zone", "time-zone"),
}
REQUIRED = ("email", "name")
LOCALE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,2}$")
_ZONES_BY_LOWER: dict[str, str] = {}


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


def _zone(name: str) -> str | None:
    if not _ZONES_BY_LOWER:
        _ZONES_BY_LOWER.update({z.lower(): z for z in all_timezones()})
        _ZONES_BY_LOWER.update({"utc": "UTC"})
    return _ZONES_BY_LOWER.get(name.strip().lower())


def decode(data: bytes) -> str:
    if not data.strip():
        raise FileProblem("The file is empty. Export the spreadsheet as CSV and upload it again.")
    if data[:4] == b"PK\x03\x04":
        raise FileProblem("This is an Excel workbook or zip file, not a CSV. In Excel choose "
                          "File → Save As → “CSV UTF-8 (comma delimited)” and upload that file.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise FileProblem("This file is not plain UTF-8 text (it looks like UTF-16 or a binary "
                          "file). Save it as “CSV UTF-8” and upload it again.")
    if b"\x00" in data:  # further in: one stray character, which no database can store
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        raise FileProblem(f"Line {line} holds an invisible NUL character that cannot be "
                          "stored. Remove it (saving the file again as “CSV UTF-8” usually "
                          "does) and upload it again.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileProblem(f"This file is not UTF-8 text (line {line} has a character UTF-8 "
                          "does not allow, often from an older Excel or Windows encoding). "
                          "Save it as “CSV UTF-8” and upload it again.") from None


def read_rows(data: bytes) -> tuple[dict[str, int], list[tuple[int, list[str]]], list[str]]:
    """Columns found (name → index), data rows with their line numbers, and the header."""
    text = decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
        rows = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    except csv.Error as exc:
        raise FileProblem(f"The file could not be read as CSV near line {reader.line_num}: "
                          f"{exc}. Check for a stray quote mark.") from None
    except StopIteration:  # only empty cells, commas and blank lines
        raise FileProblem("The file has no names or addresses in it, only empty cells. "
                          "The first row must name the columns (email, name).") from None
    columns = {}
    for index, raw in enumerate(header):
        label = raw.strip().strip('"').lower()
        for key, aliases in COLUMNS.items():
            if label in aliases and key not in columns:
                columns[key] = index
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
        raise FileProblem(
            f"Missing column{'s' if len(missing) > 1 else ''}: {' and '.join(missing)}. The "
            "first row must name the columns (email, name; optionally department and time "
            f"zone). Found: {found}.")
    if not rows:
        raise FileProblem("The file has a header row but no people in it.")
    if len(rows) > MAX_ROWS:
        raise FileProblem(f"The file has {len(rows):,} rows; at most {MAX_ROWS:,} can be "
                          "imported at once. Split it into smaller files.")
    return columns, rows, header


def parse(data: bytes) -> tuple[list[dict], list[str]]:
    """The rows, each with its fields, and the header's columns that are not used (so the
    preview can say they were left out, instead of dropping them silently)."""
    columns, rows, header = read_rows(data)
    width = len(header)
    used = set(columns.values())
    ignored = [h.strip() for i, h in enumerate(header) if i not in used and h.strip()]
    parsed = []
    for line, cells in rows:
        row = {"line": line, "status": None, "reason": None, "shape": None}
        for key in COLUMNS:
            index = columns.get(key)
            row[key] = cells[index].strip() if index is not None and index < len(cells) else ""
        absent = [key for key in REQUIRED if columns[key] >= len(cells)]
        if absent:
            row["shape"] = (f"missing column: this row has no {' and no '.join(absent)} "
                            f"({len(cells)} values, the header has {width})")
        elif len(cells) > width:
            row["shape"] = (f"this row has {len(cells)} values but the header has {width}; "
                            "put a name containing a comma or semicolon in double quotes")
        parsed.append(row)
    return parsed, ignored


def other_languages(rows: list[dict]) -> int:
    """Rows whose locale asks for a language other than English: our emails and pages
    are English only for now, so the preview says so (the value is kept)."""
    return sum(1 for row in rows
               if row.get("locale") and not row["locale"].lower().startswith("en"))


def over_capacity(rows: list[dict]) -> int:
    return sum(1 for row in rows if (row.get("reason") or "").startswith("over capacity"))


TEMPLATE_HEADER = ["email", "name", "department", "time zone"]
TEMPLATE_EXAMPLE = ["alex.rivera@example.com", "Alex Rivera", "Finance", "Europe/London"]


# Most work addresses are plain ASCII dot-atoms at a handful of domains: those take a
# pattern and one full check per domain; anything else takes the full check itself.
_PLAIN_LOCAL = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z",
                          re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def _domain(domain: str) -> str | None:
    try:
        return validate_email("x@" + domain, check_deliverability=False).normalized[2:]
    except EmailNotValidError:
        return None


def normalise_email(address: str) -> str:
    """The address as email-validator normalises it, lower-cased; raises
    EmailNotValidError."""
    local, at, domain = address.rpartition("@")
    if at and len(local) <= 64 and len(address) <= 254 and _PLAIN_LOCAL.match(local) \
            and domain.isascii():
        checked = _domain(domain)
        if checked is not None:
            return f"{local}@{checked}".lower()
    return validate_email(address, check_deliverability=False,
                          allow_smtputf8=False).normalized.lower()  # see WorkEmail


def _check_fields(row: dict) -> str | None:
    if not row["email"]:
        return "missing email"
    if not row["name"]:
        return "missing name"
    try:
        row["email"] = normalise_email(row["email"])
    except EmailNotValidError:
        if not row["email"].rpartition("@")[0].isascii():
            return f"bad email address “{row['email'][:80]}”: {ASCII_LOCAL_PART}"
        return f"bad email address “{row['email'][:80]}”"
    if len(row["name"]) > 200 or len(row["department"]) > 200:
        return "name or department longer than 200 characters"
    if row["timezone"]:
        zone = _zone(row["timezone"])
        if zone is None:
            return f"unknown time zone “{row['timezone'][:64]}” (use a name like Europe/Berlin)"
        row["timezone"] = zone
    if row["locale"]:
        if not LOCALE.match(row["locale"]):
            return f"unknown language code “{row['locale'][:20]}” (use one like en or de-AT)"
        row["locale"] = row["locale"].replace("_", "-")
    return None


def check(cohort, rows: list[dict]) -> dict:
    """Give every row a status (new, existing, error) and a reason. Returns counts."""
    seen: dict[str, int] = {}
    candidates = []
    for row in rows:
        row.pop("user_id", None)
        # A row checked before (preview, then again at confirm) keeps its normalised
        # fields; only what the database says can have changed.
        row["status"] = None
        row["reason"] = row.get("shape") or (None if row.get("fields_ok") else _check_fields(row))
        row["fields_ok"] = row["reason"] is None
        if row["reason"]:
            row["status"] = ERROR
        elif row["email"] in seen:
            row["status"] = ERROR
            row["reason"] = f"duplicate: same email as line {seen[row['email']]}"
        else:
            seen[row["email"]] = row["line"]
            candidates.append(row)
    users = _existing_users(cohort.org_id, list(seen))
    enrolled = dict(db.session.execute(
        select(Enrollment.user_id, Enrollment.status).where(Enrollment.cohort_id == cohort.id)
    ).all())
    taken = sum(1 for status in enrolled.values() if status != WITHDRAWN)
    also_in = current_courses(cohort, [u.id for u in users.values()])
    for row in candidates:
        user = users.get(row["email"])
        if user is None:
            row["status"] = NEW
        elif user.role != PARTICIPANT:
            row["status"], row["reason"] = ERROR, "this address belongs to a staff account"
        elif user.id in enrolled:
            row["status"] = ERROR
            row["reason"] = ("already enrolled in this cohort" if enrolled[user.id] != WITHDRAWN
                             else "withdrew from this cohort earlier; add them one by one to "
                                  "invite them again")
        else:
            row["status"] = EXISTING
            row["reason"] = "has an account; their details stay as they are"
            row["user_id"] = user.id
            row["also"] = also_in.get(user.id)
        if row["status"] != ERROR:
            if cohort.capacity is not None and taken >= cohort.capacity:
                row["status"] = ERROR
                places = counted(cohort.capacity, "place", "places")
                all_taken = "it is" if cohort.capacity == 1 else "they are all"
                row["reason"] = (f"over capacity: the cohort has {places} and {all_taken} "
                                 "taken by earlier rows or enrollments")
            else:
                taken += 1
    return counts(rows)


def counts(rows: list[dict]) -> dict:
    result = {"rows": len(rows), NEW: 0, EXISTING: 0, ERROR: 0}
    for row in rows:
        result[row["status"]] += 1
    return result


def _existing_users(org_id: int, emails: list[str]) -> dict[str, User]:
    """Accounts of this organisation with these addresses (other organisations' accounts
    are theirs: the same address may be enrolled here as a separate account)."""
    found = {}
    for batch in chunks(emails):
        for user in db.session.scalars(select(User).where(
                User.org_id == org_id, func.lower(User.email).in_(batch))):
            found[user.email.lower()] = user
    return found


def current_courses(cohort, user_ids: list[int]) -> dict[int, str]:
    """User id -> "“name” (running)" for people already in another current or upcoming
    cohort of the organisation: HR should know before adding them to a second course."""
    now = now_utc()
    found: dict[int, str] = {}
    for batch in chunks(user_ids):
        rows = db.session.execute(
            select(Enrollment.user_id, Cohort).join(Cohort, Cohort.id == Enrollment.cohort_id)
            .where(Enrollment.user_id.in_(batch),
                   Enrollment.cohort_id != cohort.id, Enrollment.status != WITHDRAWN,
                   Cohort.org_id == cohort.org_id, Cohort.archived_at.is_(None))
            .order_by(Cohort.start_date))
        for user_id, other in rows:
            state = schedule.status(other, now)
            if state in ("running", "scheduled") and user_id not in found:
                found[user_id] = f"“{other.name}” ({state})"
    return found
