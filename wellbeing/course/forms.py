import datetime as dt
import secrets

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..core.formfields import WholeNumberField
from .content import missing_blocks
from .models import JOURNAL_MAX, MAX_MINUTES, NOTE_MAX


class DayField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Enter the date as year-month-day, like 2026-03-05.") from exc


def _long_text(limit: int, what: str):
    def check(form, field):
        length = len(field.data or "")
        if length > limit:
            raise ValidationError(
                f"{what} is {length:,} characters long; the limit is {limit:,}. "
                f"Please shorten it by {length - limit:,} "
                f"character{'s' if length - limit != 1 else ''}.")
    return check


class PracticeLogForm(FlaskForm):
    day = DayField("Date", validators=[InputRequired("Enter the date you practised.")])
    practice = SelectField("Practice", validators=[DataRequired("Choose a practice.")])
    minutes = WholeNumberField(
        "Minutes", not_a_number="Enter the minutes as a whole number, like 15.", validators=[
        InputRequired("Enter how many minutes you practised.")])
    note = TextAreaField("Note (optional)", validators=[
        Optional(), _long_text(NOTE_MAX, "Your note")])
    entry_token = HiddenField(validators=[Optional(), Length(max=32)])
    submit = SubmitField("Log practice")

    def __init__(self, *args, choices, first_day: dt.date, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice.choices = choices
        self.first_day, self.today = first_day, today
        if not self.entry_token.data:  # a new form; a posted one keeps its own token
            self.entry_token.data = secrets.token_urlsafe(16)

    def validate_day(self, field):
        if field.data is None:
            return
        if field.data > self.today:
            raise ValidationError("That date is in the future. Log practice on or after "
                                  "the day you did it.")
        if field.data < self.first_day:
            raise ValidationError(f"Your course started on {self.first_day:%-d %B %Y}; "
                                  "choose that day or later.")

    def validate_minutes(self, field):
        if field.data is not None and not 1 <= field.data <= MAX_MINUTES:
            raise ValidationError(f"Enter between 1 and {MAX_MINUTES} minutes "
                                  "(3 hours) for one practice.")


class JournalForm(FlaskForm):
    body = TextAreaField("Your reflection", validators=[
        DataRequired("Write something before saving."),
        _long_text(JOURNAL_MAX, "Your entry")])
    week = HiddenField()
    submit = SubmitField("Save privately")


class ConfirmForm(FlaskForm):
    """A button-only form (complete a week, delete an entry): CSRF is its only field."""


class ModuleTextForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(
        max=200, message="Keep the title under 200 characters.")])
    intention = TextAreaField("Intention", validators=[Optional(), _long_text(1000,
                                                                              "The intention")])
    reading = TextAreaField("Reading (Markdown)", validators=[
        Optional(), _long_text(30_000, "The reading")])
    reflection = TextAreaField("Reflection prompt", validators=[
        Optional(), _long_text(1000, "The reflection prompt")])
    home_practice = TextAreaField("Home practice", validators=[
        Optional(), _long_text(2000, "The home practice")])
    submit = SubmitField("Save")

    def __init__(self, *args, protected: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.protected = protected  # our safety paragraphs a new reading must keep

    def validate_reading(self, field):
        if not (field.data or "").strip():
            return  # an empty reading keeps ours, safety paragraphs and all
        missing = missing_blocks(self.protected, field.data)
        if missing:
            start = " ".join(missing[0].replace("*", "").split())[:70]
            what = ("one of our safety paragraphs" if len(missing) == 1
                    else f"{len(missing)} of our safety paragraphs")
            raise ValidationError(
                f"Your reading leaves out {what}, and they must stay so that everyone "
                f"sees them. Paste it back unchanged, anywhere in your text: the first "
                f"begins \u201c{start}\u2026\u201d and is shown in full below the form.")


class OwnModuleForm(ModuleTextForm):
    title = StringField("Title", validators=[DataRequired("Give the module a title."), Length(
        max=200, message="Keep the title under 200 characters.")])
    week = WholeNumberField(
        "Week number", not_a_number="Enter the week as a whole number, like 9.", validators=[
        InputRequired("Enter the week this module belongs to.")])
    practices = SelectMultipleField("Guided practices from the course (optional)",
                                    option_widget=widgets.CheckboxInput(),
                                    widget=widgets.ListWidget(prefix_label=False))

    def __init__(self, *args, first_week: int, taken: set[int], choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_week, self.taken = first_week, taken
        self.practices.choices = choices

    def validate_week(self, field):
        if field.data is None:
            return
        if not self.first_week <= field.data <= 16:
            raise ValidationError(
                f"Own modules use weeks {self.first_week} to 16; weeks 1 to "
                f"{self.first_week - 1} are the course's own (edit their text instead).")
        if field.data in self.taken:
            raise ValidationError(f"Week {field.data} already has a module; edit it instead.")


class RecordingForm(FlaskForm):
    """An audio file for one practice; its bytes are checked in the view's service call."""
    audio = FileField("Audio file (MP3, M4A, Ogg, WAV or WebM)")
    submit = SubmitField("Upload recording")

    def __init__(self, *args, max_bytes: int, sniff, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes, self.sniff = max_bytes, sniff
        self.data_bytes, self.content_type = b"", None

    def validate_audio(self, field):
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            raise ValidationError("Choose an audio file to upload.")
        data = upload.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise ValidationError(
                f"{upload.filename} is larger than {self.max_bytes / 1048576:.1f} MB. Save "
                "it at a lower bit rate (64 kbit/s mono is plenty for a voice) and try again.")
        if not data:
            raise ValidationError(f"{upload.filename} is empty.")
        kind = self.sniff(data)
        if kind is None:
            raise ValidationError(
                f"{upload.filename} is not an audio file we can play (whatever its name "
                "says). Export it as MP3, M4A, Ogg, WAV or WebM.")
        self.data_bytes, self.content_type = data, kind
