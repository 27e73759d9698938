"""The app bench/survey_submit.py serves: the real app, plus the signed-in floor: the
floor's work (parse the answers, INSERT them once, bench/floor_app.py) behind what every
signed-in form post through this app must pay first (session, sign-in check against the
database, CSRF token, security headers). The survey submission's goal is set against it."""
import json
import uuid

from flask import Blueprint, request
from floor_app import connection

from wellbeing import create_app
from wellbeing.auth.models import PARTICIPANT
from wellbeing.core.access import require_roles

signed_in = Blueprint("bench_signed_in", __name__)
require_roles(signed_in, PARTICIPANT)


@signed_in.post("/bench/signed-in-floor")
def signed_in_floor():
    answers = {k: v for k, v in request.form.items() if k != "csrf_token"}
    connection().execute("INSERT INTO floor_answers (id, answers) VALUES (%s, %s)",
                         (str(uuid.uuid4()), json.dumps(answers)))
    return "", 204


app = create_app()
app.register_blueprint(signed_in)
