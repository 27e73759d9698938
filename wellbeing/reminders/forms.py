import datetime as dt

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import ValidationError

from ..core.formfields import strip
from ..core.timeutil import is_valid_timezone, picker_zones
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
    timezone = SelectField("Your time zone", validate_choice=False)
    quiet_start = StringField("Quiet from", filters=[strip])
    quiet_end = StringField("Quiet until", filters=[strip])
    submit = SubmitField("Save preferences")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = picker_zones(self.timezone.data)

    def validate_timezone(self, field):
        if not is_valid_timezone(field.data):
            raise ValidationError("Choose a time zone from the list.")

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
