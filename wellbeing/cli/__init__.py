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

