import datetime as dt

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.formfields import WholeNumberField, WorkEmail, option, strip
from ..core.timeutil import picker_zones
from .settings import CohortSettings


def zone_choices(current: str | None = None, first=()):
    """Grouped choices: common zones first (after `first`), then all zones in use."""
    groups = picker_zones(current)
    return {group: [*(first if n == 0 else ()), *(option(v, label) for v, label in items)]
            for n, (group, items) in enumerate(groups.items())}


def with_live_session(message):
    """Live-session fields count only when the box is ticked; then they are required."""
    def check(form, field):
        field.errors[:] = []
        if not form.has_live_session.data:
            raise StopValidation()
        if not field.raw_data or not str(field.raw_data[0]).strip():
            raise StopValidation(message)
    return check


def _years_from(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CohortForm(FlaskForm):
    """`seats_taken` (edit) and `org_timezone` come from the view."""

    name = StringField("Cohort name", filters=[strip], validators=[
        DataRequired("Give the cohort a name, like “Spring 2026, Finance”."), Length(max=200)])
    start_date = DateField("Start date (week 1 opens)", validators=[
        InputRequired("Enter the date week 1 opens.")])
    release_time = TimeField("Release time", validators=[
        InputRequired("Enter the time modules open, like 09:00.")])
    timezone = SelectField("Time zone", validators=[DataRequired("Choose a time zone.")])
    weeks = WholeNumberField("Number of weeks", default=8, validators=[
        InputRequired("Enter the number of weeks (8 for the full course)."),
        NumberRange(1, 16, "The course runs between 1 and 16 weeks.")])
    capacity = WholeNumberField("Capacity (places)", validators=[
        Optional(), NumberRange(1, 100_000, "Capacity must be at least 1.")])
    facilitators = CheckboxList("Facilitators", coerce=int, choices=[])
    has_live_session = BooleanField("Weekly live group session")
    live_session_time = TimeField("Live session time", validators=[
        with_live_session("Enter the time of the weekly live session, like 12:30.")])
    live_session_minutes = WholeNumberField("Length in minutes", default=60, validators=[
        with_live_session("Enter how long the session lasts, in minutes."),
        NumberRange(10, 480, "A live session lasts between 10 and 480 minutes.")])
    live_session_place = StringField("Place or video link", filters=[strip], validators=[
        with_live_session("Say where the session happens: a room or a video link."),
        Length(max=500)])
    draft = BooleanField("Save as a draft: nobody is invited until you publish")
    confirm_close = HiddenField()
    submit = SubmitField("Save cohort")

    def __init__(self, *args, seats_taken=0, org_timezone="UTC", facilitators=(),
                 module_weeks=16, saved_weeks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats_taken = seats_taken
        self.module_weeks = module_weeks  # weeks 1..n have a module to open
        self.saved_weeks = saved_weeks  # when editing: the length already saved
        if not self.timezone.data:
            self.timezone.data = org_timezone
        self.timezone.choices = zone_choices(self.timezone.data)
        self.facilitators.choices = [option(u.id, u.name) for u in facilitators]

    def validate_start_date(self, field):
        # Far-off dates are typing slips (a year of 9999), and they overflow the schedule.
        today = dt.date.today()
        if field.data is not None and not (_years_from(today, -3) <= field.data
                                           <= _years_from(today, 3)):
            raise ValidationError("Choose a start date within three years of today.")

    def validate_weeks(self, field):
        if field.errors or field.data is None or field.data == self.saved_weeks:
            return
        if field.data > self.module_weeks:
            raise ValidationError(
                f"Only weeks 1 to {self.module_weeks} have a module, so weeks after that "
                f"would open empty. Choose {self.module_weeks} weeks or fewer, or first add "
                f"modules for the later weeks under Course content.")

    def validate_capacity(self, field):
        if field.errors:  # already out of range
            return
        if field.data is not None and field.data < self.seats_taken:
            raise ValidationError(f"{self.seats_taken} people are enrolled; capacity cannot be "
                             "lower. Withdraw or move people first.")

    def data_for_service(self) -> CohortSettings:
        live = self.has_live_session.data
        return CohortSettings(
            name=self.name.data, start_date=self.start_date.data,
            release_time=self.release_time.data, timezone=self.timezone.data,
            weeks=self.weeks.data, capacity=self.capacity.data,
            live_session_time=self.live_session_time.data if live else None,
            live_session_minutes=(self.live_session_minutes.data or 60) if live else None,
            live_session_place=self.live_session_place.data if live else None)


class EnrollOneForm(FlaskForm):
    email = EmailField("Work email", filters=[strip], validators=[
        DataRequired("Enter their work email address."), WorkEmail(), Length(max=254)])
    name = StringField("Name", filters=[strip], validators=[
        DataRequired("Enter their name."), Length(max=200)])
    department = StringField("Department (optional)", filters=[strip],
                             validators=[Length(max=200)])
    timezone = SelectField("Time zone (optional)", default="")
    # Set once HR has been told the person is already in another current course.
    also_ok = HiddenField(default="")
    submit = SubmitField("Enroll and invite")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices(
            self.timezone.data, first=[option("", "Same as the organisation")])


class UploadForm(FlaskForm):
    file = FileField("CSV file")
    submit = SubmitField("Check the file")

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Choose a CSV file to upload.")


class ConfirmForm(FlaskForm):
    submit = SubmitField("Import and send invitations")


class MoveForm(FlaskForm):
    target = SelectField("Move to cohort", coerce=int, validators=[
        DataRequired("Choose the cohort to move them to.")])
    submit = SubmitField("Move")


class ActionForm(FlaskForm):
    """A button that changes something (archive, publish, withdraw): CSRF only."""
    submit = SubmitField("Confirm")
