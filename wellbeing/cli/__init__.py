"""`wellbeing run | demo | create-admin | worker | beat | web`, plus Flask's `db` commands."""
import sys

import click
from flask.cli import FlaskGroup, with_appcontext


def _create_app():
    from .. import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False,
             add_version_option=False)
def main():
    """Wellbeing: workplace self-compassion courses."""


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-demo", is_flag=True, help="Do not create the demo organisation.")
@with_appcontext
def run_command(host, port, no_demo):
    """Web, worker and scheduler together on this machine (embedded defaults)."""
    from .runner import run_all
    sys.exit(run_all(host, port, demo=not no_demo))


@main.command("demo")
@with_appcontext
def demo_command():
    """Create the demo organisation (once)."""
    from .demo import ensure_demo
    from .provision import upgrade_database
    upgrade_database()
    created = ensure_demo()
    click.echo("Demo organisation created." if created else "Demo organisation exists.")


@main.command("create-admin")
@click.option("--org", "org_name", required=True, help="Organisation name (created if new).")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--timezone", default="Europe/London", show_default=True)
@with_appcontext
def create_admin_command(org_name, email, name, timezone):
    """Create an org admin (HR) account; asks for the password."""
    from .provision import create_admin
    password = click.prompt("Password (12+ characters)", hide_input=True,
                            confirmation_prompt="Repeat password")
    if len(password) < 12:
        raise click.ClickException("The password must be at least 12 characters.")
    try:
        user = create_admin(org_name, email, name, password, timezone)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Org admin {user.email} created for {org_name}.")


@main.command("worker")
def worker_command():
    """Start a Celery worker (production: `celery -A tasks worker` does the same)."""
    from .runner import celery_argv, exec_argv
    exec_argv(celery_argv("worker"))


@main.command("beat")
def beat_command():
    """Start Celery beat, the once-a-minute scheduler. Run exactly one."""
    from .runner import celery_argv, exec_argv
    exec_argv(celery_argv("beat"))


@main.command("web")
@click.option("--bind", default="127.0.0.1:5000", show_default=True)
@click.option("--workers", default=2, show_default=True, type=int)
def web_command(bind, workers):
    """Start the web server (gunicorn)."""
    from .runner import exec_argv, gunicorn_argv
    exec_argv(gunicorn_argv(bind, workers))



def _rekey_command(name: str, what: str):
    """A `rekey-…` command: the new key from a variable or asked twice, and the choice to
    leave `what` that do not open with the old key as they are."""
    def decorate(function):
        function = with_appcontext(function)
        function = click.option("--leave-unopenable", is_flag=True, help=(
            f"Leave {what} that do not open with the old key as they are."))(function)
        function = click.option(
            "--new-key-from", "new_key_from", metavar="VARIABLE",
            help="Read the new key from this environment variable instead of asking.")(
            function)
        return main.command(name)(function)
    return decorate


def _new_key(name: str, variable: str | None) -> str:
    import os
    new = os.environ.get(variable, "") if variable else click.prompt(
        f"New {name}", hide_input=True, confirmation_prompt=f"Repeat the new {name}")
    if len(new) < 32:
        raise click.ClickException(f"The new {name} must be at least 32 characters "
                                   "(e.g. `openssl rand -hex 32`).")
    return new


def _move(area, old: str, new: str, leave_unopenable: bool):
    """Run an area's rekey (surveys.rekey, course.journal_rekey), then rebuild its tables;
    a refusal (rows that do not open, the same key) is the command's error message."""
    try:
        done = area.rekey(old, new, leave_unopenable=leave_unopenable)
    except (area.Unopenable, ValueError) as error:
        raise click.ClickException(str(error)) from error
    area.compact()
    return done


def _keep_embedded_key(name: str, new: str) -> None:
    """The embedded profile keeps its keys in the keys folder: write the new one there."""
    from pathlib import Path

    from flask import current_app

    from ..config import _keys_dir
    path = _keys_dir(Path(current_app.config["INSTANCE_DIR"])) / f"{name.lower()}.txt"
    path.write_text(new)
    path.chmod(0o600)
    click.echo(f"The new key is in {path}; back that folder up again.")


@_rekey_command("rekey-journal", "entries")
def rekey_journal_command(new_key_from, leave_unopenable):
    """Move every journal entry to a new JOURNAL_KEY. Stop web, workers and beat first,
    run this with the old key in use, then start them with JOURNAL_KEY set to the new one."""
    import os

    from flask import current_app

    from ..course import journal_rekey
    new = _new_key("JOURNAL_KEY", new_key_from)
    done = _move(journal_rekey, current_app.config["JOURNAL_KEY"], new, leave_unopenable)
    if not (os.environ.get("JOURNAL_KEY") or os.environ.get("SECRET_KEY")):
        _keep_embedded_key("JOURNAL_KEY", new)
    click.echo(f"Moved {done.entries} journal entries to the new JOURNAL_KEY"
               + (f"; {done.left} that did not open were left as they were" if done.left
                  else "") + ".")
    click.echo("Now set JOURNAL_KEY to the new key for every process (web, worker, beat) "
               "and start them. Keep it in your secret store, apart from the database "
               "backups.")


@_rekey_command("rekey-pairing", "rows")
def rekey_pairing_command(new_key_from, leave_unopenable):
    """Move every survey answer to a new PAIRING_KEY. Stop web, workers and beat first,
    run this with the old key as PAIRING_KEY, then start them with the new one."""
    import os

    from flask import current_app

    from ..surveys import rekey
    new = _new_key("PAIRING_KEY", new_key_from)
    done = _move(rekey, current_app.config["PAIRING_KEY"], new, leave_unopenable)
    if not os.environ.get("PAIRING_KEY"):  # the embedded profile's keys folder holds it
        _keep_embedded_key("PAIRING_KEY", new)
    click.echo(f"Moved to the new PAIRING_KEY: {done.written} answer rows and {done.sealed} "
               "sealed submissions"
               + (f"; {done.left} rows that did not open were left as they were" if done.left
                  else "") + ".")
    click.echo("Now set PAIRING_KEY to the new key for every process (web, worker, beat) "
               "and start them; the old key is refused from now on. Keep the new key "
               "in your secret store, apart from the database backups.")
