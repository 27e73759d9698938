"""What a person's data download holds: each area registers an exporter for its own rows,
so the download lists everything held about the person without the account area having
to import every area (reminders and account are siblings, for example).

    from wellbeing.core.personal_data import register_exporter

    @register_exporter("journal")
    def export_journal(user): return [...]   # JSON-serialisable, this user's rows only
"""
from collections.abc import Callable

EXPORTERS: list[tuple[str, Callable]] = []


def register_exporter(name: str):
    def add(function: Callable) -> Callable:
        global EXPORTERS
        EXPORTERS = [(n, f) for n, f in EXPORTERS if n != name] + [(name, function)]
        return function
    return add


def exporters() -> list[tuple[str, Callable]]:
    return list(EXPORTERS)
