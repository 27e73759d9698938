import datetime as dt

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.formfields import TimeZoneField, strip
from .kinds import CHOICE_BY_FIELD

TIME_HINT = "Enter a time like 20:00 (24-hour clock)."


def parse_clock(text: str) -> dt.time:
    hours, sep, minutes = (text or "").partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(TIME_HINT)
    hour, minute = int(hours), int(minutes)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(TIME_HINT)
    return dt.time(hour, minute)


class PreferencesForm(FlaskForm):
    week_opened = BooleanField(CHOICE_BY_FIELD["week_opened"].label)
    nudges = BooleanField(CHOICE_BY_FIELD["nudges"].label)
    survey_reminders = BooleanField(CHOICE_BY_FIELD["survey_reminders"].label)
    timezone = TimeZoneField("Your time zone")
    quiet_start = StringField("Quiet from", filters=[strip])
    quiet_end = StringField("Quiet until", filters=[strip])
    submit = SubmitField("Save preferences")


    def validate_quiet_start(self, field):
        self._clock(field)

    def validate_quiet_end(self, field):
        self._clock(field)

    @staticmethod
    def _clock(field):
        try:
            parse_clock(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class AnnouncementForm(FlaskForm):
    subject = StringField("Subject", filters=[strip], validators=[
        DataRequired("Enter a subject."),
        Length(max=150, message="Keep the subject under 150 characters.")])
    body = TextAreaField("Message", validators=[
        DataRequired("Write the message."),
        Length(max=10_000, message="Keep the message under 10,000 characters.")])
    format = RadioField("Format", default="plain", choices=[
        ("plain", "Plain text"), ("markdown", "Markdown (headings, lists, links, as in modules)")],
        validators=[DataRequired("Choose a format.")])
    submit = SubmitField("Preview")


class ConfirmForm(FlaskForm):
    submit = SubmitField("Send to every active participant")
