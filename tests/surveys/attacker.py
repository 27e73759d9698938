"""Someone with copies of the database and no PAIRING_KEY, trying to say whose answers are
whose. Used by test_stolen_database.py.

A copy is what a backup holds: every table's rows in the order the copy stores them (a
`pg_dump` on PostgreSQL, the file's own order on SQLite) and, on PostgreSQL, what the
database files add to each row: the transaction that wrote it (`xmin`) and its physical
place (`ctid`).

Two kinds of attack:
- *Pairs*: any value (other than the cohort, the wave and the questionnaire) that a row
  before the course shares with a row after it pairs one person's two waves; with the
  completions saying who answered which wave, a person who alone skipped a wave would
  be the one whose answers have no partner.
- *Joins* (time, week, day, transaction id, the copy in which a row first appears, who
  answered which wave): each rules out people for a set of answers. An answer set is
  linked when every way of giving each answer set of a wave its own person, allowed by
  what the joins left, gives it the same person. A join that leaves no such way at all
  is false for this database, and the attacker drops it.
- *Orders* (row order in the copy, physical place, transaction id, sequence values):
  each pairs answer sets and completions by rank. An order links when its pairing is
  right for more than half of the people; a random order is right for about one person,
  and nobody can tell which.
"""
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field

from tests.services import require

ANSWERS, COMPLETIONS = "survey_responses", "survey_completions"
TABLES = (ANSWERS, COMPLETIONS, "enrollments", "users", "audit_events")
DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
WEEK = re.compile(r"\b(\d{4})-W(\d{2})\b")


@dataclass
class Copy:
    rows: dict[str, list[dict]]                  # table -> rows, in stored order
    xmin: dict[str, dict[str, int]] = field(default_factory=dict)      # table -> id -> xmin
    ctid: dict[str, dict[str, tuple]] = field(default_factory=dict)    # table -> id -> place


# ---- taking a copy ---------------------------------------------------------------

def take_copy(engine) -> Copy:
    if engine.dialect.name == "postgresql":
        require(shutil.which("pg_dump") is not None, "pg_dump")  # fails in CI, never skips
        return _postgresql_copy(engine)
    return _sqlite_copy(engine)


def _postgresql_copy(engine) -> Copy:
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    args = ["pg_dump", "--data-only", "--no-owner", *[f"--table=public.{t}" for t in TABLES],
            url]
    dump = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    copy = Copy(rows=_parse_copy_blocks(dump))
    with engine.connect() as conn:
        for table in TABLES:
            found = conn.exec_driver_sql(f"SELECT id::text, xmin::text, ctid::text FROM {table}")
            copy.xmin[table], copy.ctid[table] = {}, {}
            for row_id, xmin, ctid in found:
                copy.xmin[table][row_id] = int(xmin)
                copy.ctid[table][row_id] = tuple(int(n) for n in ctid.strip("()").split(","))
    return copy


def _parse_copy_blocks(dump: str) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}
    lines = iter(dump.splitlines())
    for line in lines:
        start = re.match(r"COPY public\.(\w+) \((.*)\) FROM stdin;", line)
        if not start:
            continue
        columns = [c.strip().strip('"') for c in start.group(2).split(",")]
        rows = tables.setdefault(start.group(1), [])
        for row in lines:
            if row == "\\.":
                break
            rows.append({c: None if v == "\\N" else v
                         for c, v in zip(columns, row.split("\t"), strict=True)})
    return tables


def _sqlite_copy(engine) -> Copy:
    """The file as a copy of it reads: each table scanned in its stored order."""
    with sqlite3.connect(f"file:{engine.url.database}?mode=ro", uri=True) as conn:
        rows = {}
        for table in TABLES:
            cursor = conn.execute(f"SELECT * FROM {table} NOT INDEXED")
            names = [d[0] for d in cursor.description]
            rows[table] = [{n: None if v is None else str(v)
                            for n, v in zip(names, values, strict=True)} for values in cursor]
    return Copy(rows=rows)


# ---- what the copies say -----------------------------------------------------------

@dataclass
class Findings:
    links: dict[str, str]          # answer key -> the person it was linked to
    orders: list[str]              # order attacks right for more than half of the people
    answer_sets: dict[str, int]    # wave -> answer sets seen in the last copy
    pairs: list[str]               # columns whose values pair rows of two waves


def attack(copies: list[Copy], truth: dict[str, str]) -> Findings:
    """`truth` (answer key -> user id) only scores the order attacks; the joins never
    look at it."""
    people, completed, deleted = _people(copies)
    keys = _answer_keys(copies[-1])
    pairs = sorted({name for copy in copies for name in _pairs(copy)})
    candidates = {}
    for key, waves in keys.items():
        # Who answered which waves: only a person who completed every wave of this
        # answer key has an answer set there.
        candidates[key] = {p for p in people if all(w in completed.get(p, {}) for w in waves)}
    held = {key: set(waves) for key, waves in keys.items()}
    for join in (_same_time, _same_transaction, _first_seen_together):
        narrowed = {key: {p for p in found if join(copies, key, p)}
                    for key, found in candidates.items()}
        if _matching(narrowed, deleted, waves=held):
            candidates = narrowed
    links = {key: next(iter(found)) for key, found in candidates.items()
             if _forced(candidates, deleted, key, held)}
    orders = [name for copy in copies for name in _orders(copy, truth)]
    last = _answer_keys(copies[-1])
    sets = {}
    for waves in last.values():
        for wave in waves:
            sets[wave] = sets.get(wave, 0) + 1
    return Findings(links, orders, sets, pairs)


def _pairs(copy) -> list[str]:
    """Columns in which a row of one wave holds a value that a row of another wave holds
    too (an answer set's own rows of one wave may share theirs)."""
    plain = {"id", "org_id", "cohort_id", "wave", "instrument", "answers", "scores"}
    found = []
    rows = copy.rows[ANSWERS]
    for name in sorted({n for row in rows for n in row} - plain):
        by_wave: dict[str, set] = {}
        for row in rows:
            by_wave.setdefault(row["wave"], set()).add(row[name])
        waves = list(by_wave.values())
        if any(a & b for i, a in enumerate(waves) for b in waves[i + 1:]):
            found.append(name)
    return found


def _people(copies):
    """Everyone any copy names (an older backup still holds a deleted person), the waves
    each completed, and how many deleted accounts the last copy cannot name."""
    enrolled, completed = {}, {}
    for copy in copies:
        for row in copy.rows["enrollments"]:
            enrolled[row["id"]] = row["user_id"]
        for row in copy.rows[COMPLETIONS]:
            person = enrolled[row["enrollment_id"]]
            completed.setdefault(person, {})[row["wave"]] = True
    living = {row["id"] for row in copies[-1].rows["users"]}
    gone_known = set(enrolled.values()) - living
    deletions = sum(1 for row in copies[-1].rows["audit_events"]
                    if row["action"] == "account.deleted")
    return set(enrolled.values()), completed, max(0, deletions - len(gone_known))


def _answer_keys(copy) -> dict[str, dict[str, list[dict]]]:
    found: dict[str, dict[str, list[dict]]] = {}
    for row in copy.rows[ANSWERS]:
        found.setdefault(_key(row), {}).setdefault(row["wave"], []).append(row)
    return found


def _key(row) -> str:
    """What groups one person's rows: the pairing key where a schema had one in the
    clear, else the respondent of the wave."""
    return row.get("pairing_key") or row["respondent"]


def _completion_rows(copy, person) -> dict[str, dict]:
    enrolled = {row["id"]: row["user_id"] for row in copy.rows["enrollments"]}
    return {row["wave"]: row for row in copy.rows[COMPLETIONS]
            if enrolled.get(row["enrollment_id"]) == person}


def _times(rows) -> set[tuple[str, str]]:
    """Every day and ISO week any column of these rows names, ids aside."""
    import datetime as dt
    found = set()
    for row in rows:
        for name, value in row.items():
            if value is None or name == "id":
                continue
            for y, m, d in DAY.findall(value):
                day = dt.date(int(y), int(m), int(d))
                found.add(("day", day.isoformat()))
                year, week, _ = day.isocalendar()
                found.add(("week", f"{year}-W{week:02d}"))
            for y, w in WEEK.findall(value):
                found.add(("week", f"{y}-W{w}"))
    return found


def _same_time(copies, key, person) -> bool:
    for copy in copies:
        mine = _completion_rows(copy, person)
        for wave, rows in _answer_keys(copy).get(key, {}).items():
            answer, done = _times(rows), _times([mine[wave]] if wave in mine else [])
            for kind in ("day", "week"):
                said = {v for k, v in answer if k == kind}
                if said and done and not said & {v for k, v in done if k == kind}:
                    return False
    return True


def _identity_xmins(copy, person) -> set[int]:
    xmin = copy.xmin
    enrollments = {row["id"] for row in copy.rows["enrollments"] if row["user_id"] == person}
    found = {xmin["enrollments"][e] for e in enrollments}
    found |= {xmin[COMPLETIONS][row["id"]] for row in copy.rows[COMPLETIONS]
              if row["enrollment_id"] in enrollments}
    found |= {xmin["users"][row["id"]] for row in copy.rows["users"] if row["id"] == person}
    found |= {xmin["audit_events"][row["id"]] for row in copy.rows["audit_events"]
              if row["actor_id"] == person or (row["target_type"] == "Enrollment"
                                                and row["target_id"] in enrollments)}
    return found


def _same_transaction(copies, key, person) -> bool:
    for copy in copies:
        if not copy.xmin:
            continue
        everyone = {x for table in TABLES if table != ANSWERS for x in copy.xmin[table].values()}
        for rows in _answer_keys(copy).get(key, {}).values():
            written = {copy.xmin[ANSWERS][row["id"]] for row in rows}
            if written & everyone and not written & _identity_xmins(copy, person):
                return False
    return True


def _first_seen_together(copies, key, person) -> bool:
    """An answer set first appears in the same copy as its completion."""
    for wave in ("pre", "post", "followup"):
        answer = next((n for n, c in enumerate(copies)
                       if wave in _answer_keys(c).get(key, {})), None)
        done = next((n for n, c in enumerate(copies)
                     if wave in _completion_rows(c, person)), None)
        if answer is not None and done is not None and answer != done:
            return False
    return True


def _matching(candidates, wildcards, banned=None, waves=None) -> bool:
    """Can every answer key have its own person in each of its waves (or one of
    `wildcards` deleted people nobody can name)? Kuhn's augmenting paths; the graphs are
    small. `waves`: answer key -> the waves it holds (one, unless keys pair waves)."""
    owner: dict[object, str] = {}
    waves = waves or {}

    def place(key, seen) -> bool:
        which = tuple(sorted(waves.get(key, ())))
        options = [(p, which) for p in candidates[key] if (key, p) != banned]
        options += [("deleted", n, which) for n in range(wildcards)]
        for person in options:
            if person in seen:
                continue
            seen.add(person)
            if person not in owner or place(owner[person], seen):
                owner[person] = key
                return True
        return False
    return all(place(key, set()) for key in candidates)


def _forced(candidates, wildcards, key, waves) -> bool:
    """Linked: one person only, and without that pairing no complete matching exists."""
    found = candidates[key]
    if len(found) != 1:
        return False
    return not _matching(candidates, wildcards, banned=(key, next(iter(found))), waves=waves)


def _orders(copy, truth) -> list[str]:
    """Order attacks on one copy, per wave, scored against the truth; only people with
    both a completion and answers in the copy take part (the attacker is even told who
    they are)."""
    position = {table: {row["id"]: n for n, row in enumerate(copy.rows[table])}
                for table in (ANSWERS, COMPLETIONS)}

    def orders_of(table):
        found = {"stored order": lambda i: position[table][i],
                 "id": lambda i: (len(i), i)}
        if copy.xmin:
            found["ctid"] = lambda i: copy.ctid[table][i]
            found["xmin"] = lambda i: (copy.xmin[table][i], copy.ctid[table][i])
        return found

    enrolled = {row["id"]: row["user_id"] for row in copy.rows["enrollments"]}
    succeeded = []
    for wave in ("pre", "post", "followup"):
        done = {enrolled[row["enrollment_id"]]: row["id"] for row in copy.rows[COMPLETIONS]
                if row["wave"] == wave}
        sets = {key: [row["id"] for row in waves[wave]]
                for key, waves in _answer_keys(copy).items()
                if wave in waves and truth.get(key) in done}
        if len(sets) < 4:
            continue
        for a_name, a_order in orders_of(ANSWERS).items():
            by_answers = sorted(sets, key=lambda k: min(a_order(i) for i in sets[k]))
            for c_name, c_order in orders_of(COMPLETIONS).items():
                by_done = sorted((truth[k] for k in sets), key=lambda p: c_order(done[p]))
                for label, people in (("", by_done), (" reversed", by_done[::-1])):
                    right = sum(truth[k] == p for k, p in zip(by_answers, people, strict=True))
                    if right * 2 > len(sets):
                        succeeded.append(f"{wave}: answers by {a_name} against completions "
                                         f"by {c_name}{label}: {right} of {len(sets)} right")
    return succeeded
