"""Plotly figures built on the server from figures staff may already see (report.py), and
drawn by our own copy of plotly.js (static/js/charts.js). No figure plots one person's
value: bars are group means, shares, counts or quartiles. Colour is never the only cue:
every bar carries its words, and before/after differ in pattern as well as colour."""
import plotly.graph_objects as go

from ..core.pages import script_json
from .report import CohortView, InstrumentResult, better_words

BEFORE, AFTER = "#5b6f9a", "#2f6b5a"
GOOD, NEUTRAL, BAD = "#2f6b5a", "#8a8f98", "#a5442f"
REST = "the others, not shown separately"


def _layout(figure: go.Figure, height: int = 300, **extra) -> str:
    extra.setdefault("margin", {"l": 56, "r": 16, "t": 16, "b": 56})
    figure.update_layout(
        height=height, showlegend=False,
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
        font={"family": "system-ui, sans-serif", "color": "#23302b", "size": 13}, **extra)
    figure.update_yaxes(gridcolor="#e1ddd2", zeroline=True, zerolinecolor="#c9c4b8")
    return script_json(figure)


def before_after(result: InstrumentResult) -> str | None:
    """Mean of the total before and after, with the 95% interval of the change drawn on
    the after bar's label (in words): group means only."""
    c = result.total.change
    if c is None:
        return None
    d = result.instrument.decimals + 1
    figure = go.Figure(go.Bar(
        x=["Before the course", "After the course"], y=[c.mean_pre, c.mean_post],
        marker={"color": [BEFORE, AFTER], "pattern": {"shape": ["", "/"]}},
        text=[f"{c.mean_pre:.{d}f}", f"{c.mean_post:.{d}f}"], textposition="outside",
        hovertemplate="%{x}: %{y:." + str(d) + "f}<extra></extra>"))
    low, high = result.instrument.total_min, result.instrument.total_max
    return _layout(figure, yaxis={"title": {"text": f"Average, {low:g} to {high:g}"},
                                  "range": [low, high + (high - low) * 0.08]})


def reliable_shares(result: InstrumentResult) -> str | None:
    """Everyone who answered both, in one set of bars: the counts shown on their own and,
    when some are hidden, the rest together ("not shown separately"), so that a lone bar
    of 19 improved never looks like the whole group."""
    rows = [(label, figure.exact) for label, figure, _ in result.reliable if figure.is_exact]
    if not rows:
        return None
    rest = result.reliable_total - sum(n for _, n in rows)
    colours = {"improved": GOOD, "no reliable change": NEUTRAL, "worsened": BAD,
               REST: "#d9d6cf"}
    shapes = {"improved": "", "no reliable change": ".", "worsened": "x", REST: "/"}
    if rest > 0:  # the hidden ones together: the table's total minus what it shows
        rows.append((REST, rest))
    figure = go.Figure(go.Bar(
        y=[label.capitalize() for label, _ in rows], x=[n for _, n in rows],
        orientation="h", text=[f"{n} people" for _, n in rows], textposition="auto",
        marker={"color": [colours[label] for label, _ in rows],
                "pattern": {"shape": [shapes[label] for label, _ in rows]}},
        hovertemplate="%{y}: %{x} people<extra></extra>"))
    return _layout(figure, height=220 if len(rows) < 4 else 260,
                   xaxis={"title": {"text": "People"}, "tickformat": ",d",
                          "rangemode": "tozero", "range": [0, result.reliable_total]},
                   yaxis={"autorange": "reversed", "automargin": True})


def _wrap(label: str, width: int = 18) -> str:
    """A long step name on several short lines, so the chart keeps its width on a phone."""
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def funnel(view: CohortView) -> str | None:
    """Counts per step, each drawn at its rounded value and labelled "about 25"."""
    steps = [s for s in view.funnel if not s.figure.hidden]
    if not steps:
        return None
    top = max(s.figure.rounded for s in steps)
    labels = [_wrap(s.label) for s in steps]
    figure = go.Figure(go.Bar(
        y=labels, x=[s.figure.rounded for s in steps], orientation="h",
        text=[s.figure.text for s in steps], textposition="outside", cliponaxis=False,
        textfont={"color": "#23302b"}, marker={"color": AFTER},
        customdata=[s.figure.text for s in steps],
        hovertemplate="%{customdata} people<extra></extra>"))
    return _layout(figure, height=max(260, 44 * len(steps) + 70),
                   margin={"l": 8, "r": 16, "t": 8, "b": 48},
                   xaxis={"title": {"text": "People"}, "rangemode": "tozero",
                          "tickformat": ",d", "nticks": 5, "range": [0, top * 1.3]},
                   yaxis={"autorange": "reversed", "automargin": True,
                          "categoryorder": "array", "categoryarray": labels})


def practice(view: CohortView) -> str | None:
    weeks = [w for w in view.practice if w.quartiles]
    if not weeks:
        return None
    medians = [w.quartiles[1] for w in weeks]
    figure = go.Figure(go.Scatter(
        x=[f"Week {w.week}" for w in weeks], y=medians, mode="markers+lines",
        marker={"size": 10, "symbol": "diamond", "color": AFTER},
        error_y={"type": "data", "symmetric": False,
                 "array": [w.quartiles[2] - w.quartiles[1] for w in weeks],
                 "arrayminus": [w.quartiles[1] - w.quartiles[0] for w in weeks],
                 "color": BEFORE},
        hovertemplate="%{x}: median %{y:.0f} minutes<extra></extra>"))
    return _layout(figure, yaxis={"title": {"text": "Minutes in the week"},
                                  "rangemode": "tozero"})


def trend(rows: list[tuple[str, object]], instrument) -> str | None:
    """Mean change of the total per cohort (by start), with its 95% interval, each cohort
    labelled with how many people it rests on (the exact paired count its page shows),
    against the line of no change."""
    shown = [(label, r) for label, r in rows if r and r.total.change]
    if not shown:
        return None
    changes = [r.total.change for _, r in shown]
    d = instrument.decimals + 1
    labels = [f"{_wrap(label, 12)}<br>n = {r.n_paired.text}" for label, r in shown]
    figure = go.Figure(go.Scatter(
        # Markers only: a line would join cohorts that have nothing to do with each other.
        x=labels, y=[c.difference for c in changes],
        mode="markers", marker={"size": 11, "symbol": "circle", "color": AFTER},
        error_y={"type": "data", "symmetric": False,
                 "array": [c.ci_high - c.difference for c in changes],
                 "arrayminus": [c.difference - c.ci_low for c in changes],
                 "color": BEFORE},
        customdata=[[f"{c.ci_low:.{d}f}", f"{c.ci_high:.{d}f}"] for c in changes],
        hovertemplate=("%{x}: change %{y:." + str(d) + "f} (95% CI %{customdata[0]} to "
                       "%{customdata[1]})<extra></extra>")))
    better = shown[0][1].total.better
    figure.add_hline(y=0, line={"color": "#6b6f76", "dash": "dot", "width": 1.5},
                     annotation_text="no change", annotation_position="top left")
    return _layout(figure, xaxis={"type": "category", "title": {"text": "Cohort (by start)"},
                                  "automargin": True, "tickangle": 0},
                   yaxis={"title": {"text": f"Change, after − before<br>({better_words(better)})"},
                          "automargin": True})
