"""A participant's own scores and change, in neutral, non-clinical words, and as a small
chart (built here, drawn by our own plotly.js) on their own page only."""
import plotly.graph_objects as go

from .. import instruments as catalogue
from ..core.pages import script_json
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
                       "chart": _chart(instrument, rows),
                       "chart_summary": _chart_summary(instrument, rows),
                       "range": f"{display(instrument, instrument.total_min)} to "
                                f"{display(instrument, instrument.total_max)}"})
    return {"waves": waves, "blocks": blocks, "support": support}


def _better(instrument) -> str:
    return "higher is better" if instrument.better == "higher" else "lower is better"


def _chart_summary(instrument, rows: list[dict]) -> str:
    scores = ", ".join(f"{r['shown']} {r['when']}" for r in rows)
    return (f"Your {instrument.total_name.lower()}: {scores}. Higher numbers mean "
            f"{instrument.higher_means}, so {_better(instrument)}.")


def _chart(instrument, rows: list[dict]) -> str:
    """The person's own total per wave: bars in words and patterns, not colour alone."""
    figure = go.Figure(go.Bar(
        x=[r["when"].capitalize() for r in rows], y=[r["total"] for r in rows],
        text=[r["shown"] for r in rows], textposition="outside",
        marker={"color": ["#5b6f9a", "#2f6b5a", "#2f6b5a"][:len(rows)],
                "pattern": {"shape": ["", "/", "x"][:len(rows)]}},
        hovertemplate="%{x}: %{text}<extra></extra>"))
    low, high = instrument.total_min, instrument.total_max
    figure.update_layout(
        margin={"l": 56, "r": 16, "t": 16, "b": 40}, height=240, showlegend=False,
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
        font={"family": "system-ui, sans-serif", "color": "#23302b", "size": 13},
        yaxis={"title": {"text": f"{low:g} to {high:g} ({_better(instrument)})"},
               "range": [low, high + (high - low) * 0.12], "gridcolor": "#e1ddd2"})
    return script_json(figure)
