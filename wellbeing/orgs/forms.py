from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from ..auth.models import ADMIN, FACILITATOR
from ..core.formfields import TimeZoneField, WholeNumberField, WorkEmail, option, strip
from ..core.suppression import FLOOR


class OrganizationForm(FlaskForm):
    name = StringField("Organisation name", validators=[
        DataRequired("Enter the organisation's name."), Length(max=200)])
    timezone = TimeZoneField("Default time zone")
    min_group_size = WholeNumberField(
        "Minimum group size for outcome reports",
        validators=[DataRequired(f"Enter a number from {FLOOR} to 50."),
                    NumberRange(FLOOR, 50, f"Enter a number from {FLOOR} to 50.")])
    crisis_resources = TextAreaField(
        "Support and crisis resources (shown in every page footer)",
        validators=[DataRequired("Enter where people can find urgent support."),
                    Length(max=1500, message="Keep this under 1,500 characters.")])
    submit = SubmitField("Save settings")



class StaffInviteForm(FlaskForm):
    name = StringField("Name", filters=[strip], validators=[
        DataRequired("Enter their name."), Length(max=200)])
    email = EmailField("Work email", filters=[strip], validators=[
        DataRequired("Enter their work email address."), WorkEmail(), Length(max=254)])
    role = RadioField("Role", default=FACILITATOR, choices=[
        option(FACILITATOR, "Facilitator: runs the cohorts they are assigned to and sees "
                            "their anonymised outcomes"),
        option(ADMIN, "Org admin: manages people, cohorts and settings")],
        validators=[DataRequired("Choose a role.")])
    submit = SubmitField("Send the invitation")


class StaffActionForm(FlaskForm):
    """One button per person and action (role change, deactivate, resend); the action and
    the new role come in the URL."""
    submit = SubmitField("Confirm")
