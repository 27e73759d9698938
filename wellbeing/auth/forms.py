from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..core.formfields import strip


class PasswordSignInForm(FlaskForm):
    email = EmailField("Work email", filters=[strip], validators=[
        DataRequired("Enter your work email address."),
        Email("Enter an email address like name@example.com."), Length(max=254)])
    password = PasswordField("Password", validators=[
        DataRequired("Enter your password."), Length(max=200)])
    next = HiddenField()
    submit = SubmitField("Sign in")


class LinkRequestForm(FlaskForm):
    email = EmailField("Work email", filters=[strip], validators=[
        DataRequired("Enter your work email address."),
        Email("Enter an email address like name@example.com."), Length(max=254)])
    submit = SubmitField("Email me a sign-in link")


class ConfirmLinkForm(FlaskForm):
    submit = SubmitField("Continue to Wellbeing")


class ChoosePasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[
        DataRequired("Choose a password."),
        Length(min=12, max=200, message="Use at least 12 characters (a few words work well).")])
    repeat = PasswordField("The same password again", validators=[
        DataRequired("Type the password again."),
        EqualTo("password", message="The two passwords are not the same. Type them again.")])
    submit = SubmitField("Save the password")
