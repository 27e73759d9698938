from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user, login_required
from prometheus_client import CONTENT_TYPE_LATEST

from ..auth.models import ADMIN, FACILITATOR
from ..core.access import from_this_machine
from . import metrics
from .health import check_broker, check_database

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return render_template("main/welcome.html")


@bp.get("/home")
@login_required
def home():
    """Each role lands on its own start page; areas register theirs in HOME_ENDPOINTS."""
    endpoint = current_app.config.get("HOME_ENDPOINTS", {}).get(current_user.role)
    if endpoint and endpoint in current_app.view_functions:
        return redirect(url_for(endpoint))
    return render_template("main/home.html", ADMIN=ADMIN, FACILITATOR=FACILITATOR)


@bp.get("/healthz")
def healthz():
    """200 when the database and broker answer, else 503 naming which. To the networks
    allowed to read /metrics, the same figures too (they never change the status: a web
    process is healthy while beat is down, and restarting it would not help)."""
    db_ok, db_detail = check_database()
    broker_ok, broker_detail = check_broker()
    body = {"status": "ok" if db_ok and broker_ok else "unavailable",
            "database": db_detail, "broker": broker_detail}
    if metrics.allowed():
        body["figures"] = metrics.gather()
    return jsonify(body), 200 if db_ok and broker_ok else 503


@bp.get("/metrics")
def prometheus_metrics():
    if not metrics.allowed():
        return Response("Metrics are served only to the networks in METRICS_ALLOW_FROM, or "
                        "with METRICS_TOKEN.\n", 403, mimetype="text/plain")
    return Response(metrics.exposition(metrics.gather()),
                    headers={"Content-Type": CONTENT_TYPE_LATEST})


@bp.get("/dev/mailbox")
def mailbox():
    """The embedded profile's mail catcher: emails written to instance/mail/, shown so a
    demo user can follow sign-in links. They are anyone's sign-in links, an admin's too,
    so it answers only the machine it runs on, only in the embedded profile and never
    once real SMTP is configured."""
    if not current_app.config["SHOW_DEV_MAILBOX"] or not from_this_machine():
        abort(404)
    folder = Path(current_app.config["MAIL_FOLDER"])
    messages = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:50]:
        parsed = BytesParser(policy=policy.default).parse(path.open("rb"))
        body = parsed.get_body(preferencelist=("plain",))
        messages.append({"to": parsed["To"], "subject": parsed["Subject"],
                         "text": body.get_content() if body else ""})
    return render_template("main/mailbox.html", messages=messages)
