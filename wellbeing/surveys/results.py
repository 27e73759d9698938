"""A participant's own scores and change, in neutral, non-clinical words."""
from .. import instruments as catalogue
from ..instruments.scoring import display, needs_support, reliable_change
from .models import FOLLOWUP, POST, PRE, WAVES
from .service import instruments_for, own_responses

WAVE_WORDS = {PRE: "before the course", POST: "after the course", FOLLOWUP: "at follow-up"}


def _change_words(instrument, before: float, after: float) -> dict:
    diff = after - before
    size = display(instrument, abs(diff))
    if diff == 0:
        direction = "the same as before"
    else:
        unit = "point" if size == "1" else "points"
        direction = f"{size} {unit} {'higher' if diff > 0 else 'lower'}"
    reliable = reliable_change(instrument, before, after)
    if reliable:
        note = ("This change is larger than the ordinary ups and downs of this "
                "questionnaire.")
    else:
        note = ("This change is within the ordinary ups and downs of this questionnaire, "
                "so it may not mean much on its own.")
    return {"direction": direction, "note": note, "diff": diff}


def summary(enrollment) -> dict:
    """What the results page shows, built only from this person's own responses."""
    responses = own_responses(enrollment)
    waves = [w for w in WAVES if w in responses]
    registry = catalogue.registry()
    blocks = []
    support = False
    latest = waves[-1] if waves else None
    answered = {c for w in waves for c in responses[w]}
    planned = [i.code for i in instruments_for(enrollment.cohort)]
    for code in [c for c in planned if c in answered] + sorted(answered - set(planned)):
        instrument = registry.get(code)
        if instrument is None:
            continue
        rows = []
        for wave in waves:
            row = responses[wave].get(code)
            if row is None:
                continue
            total = row.scores["total"]
            subscales = {key: display(instrument, value)
                         for key, value in row.scores["subscales"].items()}
            rows.append({"wave": wave, "when": WAVE_WORDS[wave], "total": total,
                         "shown": display(instrument, total), "subscales": subscales})
            if wave == latest and needs_support(instrument, row.scores):
                support = True
        change = None
        if len(rows) >= 2 and rows[0]["wave"] == PRE:
            change = _change_words(instrument, rows[0]["total"], rows[-1]["total"])
            change["from"], change["to"] = rows[0], rows[-1]
        blocks.append({"instrument": instrument, "rows": rows, "change": change,
                       "range": f"{display(instrument, instrument.total_min)} to "
                                f"{display(instrument, instrument.total_max)}"})
    return {"waves": waves, "blocks": blocks, "support": support}
