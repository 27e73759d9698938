"""`wellbeing run`: web, Celery worker and beat as child processes of one command."""
import os
import signal
import subprocess
import sys
import time

from flask import current_app

CELERY_BASE = [sys.executable, "-m", "celery", "-A", "tasks"]
MAX_RESTARTS, RESTART_WINDOW = 5, 600.0  # seconds


def celery_argv(role: str) -> list[str]:
    if role == "worker":
        # One process is plenty on one machine, and the embedded broker wants one.
        return CELERY_BASE + ["worker", "--loglevel=INFO", "--concurrency=1",
                              "--without-gossip", "--without-mingle",
                              "--queues=urgent,celery"]
    schedule = current_app.config["CELERY"]["beat_schedule_filename"] if current_app else None
    extra = [f"--schedule={schedule}"] if schedule else []
    return CELERY_BASE + ["beat", "--loglevel=INFO", *extra]


def gunicorn_argv(bind: str, workers: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", str(workers),
            "--access-logfile", "-",
            "--logger-class", "wellbeing.web.gunicorn_logger.RedactingLogger",
            "wellbeing.wsgi:app"]


def exec_argv(argv: list[str]) -> None:
    os.execv(argv[0], argv)


def run_all(host: str, port: int, demo: bool = True) -> int:
    from .demo import DEMO_PASSWORD, ensure_demo, sign_ins
    from .provision import upgrade_database

    base_url = os.environ.get("BASE_URL", f"http://{host}:{port}")
    # The demo's mails are written here, before the children start: their links must
    # name the port this command serves, not the default one.
    current_app.config["BASE_URL"] = base_url.rstrip("/")
    upgrade_database()
    if demo:
        ensure_demo()
    env = dict(os.environ, BASE_URL=base_url)
    commands = {"web": gunicorn_argv(f"{host}:{port}", 2), "worker": celery_argv("worker"),
                "beat": celery_argv("beat")}
    children = {name: subprocess.Popen(argv, env=env) for name, argv in commands.items()}
    url = f"http://{host}:{port}/"
    lines = ["", "Wellbeing is running.", f"  Open {url} in your browser.", ""]
    if demo:
        lines.append(f"  Demo sign-ins (password for staff: {DEMO_PASSWORD}):")
        lines += [f"    {role:<12} {email}" for role, email in sign_ins()]
        lines.append(f"  Participants sign in by emailed link; read the mail at {url}dev/mailbox")
    lines += ["  Press Ctrl+C to stop.", ""]
    print("\n".join(lines), flush=True)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    restarts: list[float] = []
    while not stopping:
        for name, child in children.items():
            if stopping or child.poll() is None:
                continue
            # The worker and the scheduler are restarted: messages wait in the outbox,
            # so nothing is lost. The web server, or a crash loop, stops everything.
            restarts = [t for t in restarts if time.monotonic() - t < RESTART_WINDOW]
            if name != "web" and len(restarts) < MAX_RESTARTS:
                restarts.append(time.monotonic())
                print(f"The {name} process stopped (exit {child.returncode}); starting it "
                      "again.", file=sys.stderr, flush=True)
                children[name] = subprocess.Popen(commands[name], env=env)
                continue
            print(f"The {name} process stopped (exit {child.returncode}); stopping the rest.",
                  file=sys.stderr, flush=True)
            exit_code = child.returncode or 1
            stopping = True
            break
        time.sleep(0.5)
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    for child in children.values():
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
    return exit_code
