"""CSV of exactly the aggregates a dashboard shows: the same report structures, the same
hidden cells (with their reasons), and text that a spreadsheet cannot run as a formula."""
from ..core.csv_export import csv_text
from .report import CohortView, InstrumentResult

HEADER = ["section", "group", "questionnaire", "scale", "measure", "value", "note"]


def to_csv(rows: list[list]) -> str:
    """Cells a spreadsheet would run as a formula become text (core.csv_export)."""
    return csv_text(HEADER, rows)


def _figure(figure) -> tuple:
    """(value, note): a number where one is shown (exact, or rounded with the note saying
    so), else the words the page shows ("5–9", "hidden")."""
    value = figure.exact if figure.is_exact else figure.rounded
    return figure.text if value is None else value, figure.reason or ""


FULL = ("mean before", "sd before", "mean after", "sd after", "mean change (after - before)",
        "95% CI low", "95% CI high", "d_z", "g_av (d_av, Hedges-corrected)")
# What the parts table and the cohort comparison show: no SDs, no d_z.
SHORT = ("mean before", "mean after", "mean change (after - before)", "95% CI low",
         "95% CI high", "g_av (d_av, Hedges-corrected)")


def _measures(c) -> dict:
    return {"mean before": c.mean_pre, "sd before": c.sd_pre, "mean after": c.mean_post,
            "sd after": c.sd_post, "mean change (after - before)": c.difference,
            "95% CI low": c.ci_low, "95% CI high": c.ci_high, "d_z": c.d_z,
            "g_av (d_av, Hedges-corrected)": c.g_av}


def instrument_rows(group: str, result: InstrumentResult, compact: bool = False) -> list[list]:
    """The rows of one questionnaire's block as the page shows it; `compact`: a row of the
    cohort comparison (answered both, the total's change, g_av)."""
    code = result.instrument.code
    counts = [("answered both", result.n_paired)] if compact else [
        ("answered before", result.n_pre), ("answered after", result.n_post),
        ("answered both", result.n_paired)]
    rows = [["counts", group, code, "", label, *_figure(f)] for label, f in counts]
    for scale in result.scales[:1] if compact else result.scales:
        if scale.hidden:
            rows.append(["change", group, code, scale.name, "all statistics", "hidden",
                         scale.hidden])
            continue
        values = _measures(scale.change)
        for measure in SHORT if compact or not scale.is_total else FULL:
            value = values[measure]
            rows.append(["change", group, code, scale.name, measure,
                         None if value is None else round(value, 6), scale.direction])
    if compact:
        return rows
    for label, figure, share in result.reliable:
        value, reason = _figure(figure)
        rows.append(["reliable change", group, code, result.instrument.total_name, label,
                     value, share or reason])
    return rows


def cohort_rows(cohort, view: CohortView) -> list[list]:
    rows = []
    for result in view.results:
        rows += instrument_rows(cohort.name, result)
    for step in view.funnel:
        rows.append(["engagement", cohort.name, "", "", step.label, *_figure(step.figure)])
    for week in view.practice:
        if week.quartiles:
            q1, median, q3 = week.quartiles
            rows.append(["practice minutes", cohort.name, "", f"week {week.week}",
                         "quartiles (25%, median, 75%)", f"{q1:g} / {median:g} / {q3:g}", ""])
        else:
            rows.append(["practice minutes", cohort.name, "", f"week {week.week}",
                         "quartiles", "hidden", week.hidden])
    return rows


def org_rows(page: dict) -> list[list]:
    rows = []
    if page["org"]:
        rows += instrument_rows("All cohorts shown", page["org"])
    for item in page["comparison"]:
        if item["result"]:
            rows += instrument_rows(item["cohort"].name, item["result"], compact=True)
    return rows
