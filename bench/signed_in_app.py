"""The app bench/survey_submit.py serves: the real app, plus one endpoint that does only
what every signed-in form post pays before its own work (session, sign-in check against
the database, CSRF token, security headers) and answers 204. Its req/s is the most any
signed-in POST through this app reaches on the machine, which puts the ratio in context."""
from flask import Blueprint

from wellbeing import create_app
from wellbeing.auth.models import PARTICIPANT
from wellbeing.core.access import require_roles

noop = Blueprint("bench_noop", __name__)
require_roles(noop, PARTICIPANT)


@noop.post("/bench/signed-in-noop")
def signed_in_noop():
    return "", 204


app = create_app()
app.register_blueprint(noop)
