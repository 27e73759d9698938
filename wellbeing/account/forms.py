from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SubmitField
from wtforms.validators import DataRequired, InputRequired

KEEP, DELETE = "keep", "delete"


class DeleteAccountForm(FlaskForm):
    answers = RadioField(
        "What should happen to your survey answers?",
        choices=[(KEEP, "Keep them, anonymously. They no longer lead back to you and still "
                        "count in your group's anonymous results."),
                 (DELETE, "Delete them too.")],
        validators=[InputRequired("Choose what should happen to your survey answers.")])
    confirm = BooleanField(
        "I understand that my account, progress and reflections are deleted for good.",
        validators=[DataRequired("Tick the box to confirm that you want to delete your "
                                 "account.")])
    submit = SubmitField("Delete my account")
