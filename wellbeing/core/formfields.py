"""Form fields and validators shared by several areas."""
from wtforms import IntegerField, SelectField
from wtforms.utils import unset_value
from wtforms.validators import Email, ValidationError

from .timeutil import is_valid_timezone, picker_zones

try:  # WTForms 3.3 deprecates (value, label) tuples; 3.1 has no SelectChoice
    from wtforms.fields.choices import SelectChoice

    def option(value, label):
        return SelectChoice(value=value, label=label)
except ImportError:  # pragma: no cover - older WTForms
    def option(value, label):
        return (value, label)


def strip(value):
    """A filter for text fields: surrounding spaces are never part of what was meant."""
    return value.strip() if isinstance(value, str) else value


def option_value(choice) -> str:
    """The value of a choice made by option(), whichever WTForms made it."""
    return choice[0] if isinstance(choice, tuple) else choice.value


ASCII_LOCAL_PART = ("use only plain letters, digits and . _ - + before the @: many mail "
                    "systems cannot deliver to other characters there")


class WorkEmail(Email):
    """An address our emails can reach: besides the usual checks, nothing but ASCII
    before the @ (an address like 😀@example.com needs SMTPUTF8, which most mail relays
    refuse, so its invitation would never arrive). Accented domains are fine."""

    def __init__(self, message="Enter an email address like name@example.com."):
        super().__init__(message, allow_smtputf8=False)

    def __call__(self, form, field):
        local, at, _ = (field.data or "").rpartition("@")
        if at and not local.isascii():
            raise ValidationError(ASCII_LOCAL_PART.capitalize() + ".")
        super().__call__(form, field)


class WholeNumberField(IntegerField):
    """A number box with one plain message per mistake: text that is not a whole number
    says so (instead of WTForms' "Not a valid integer value." followed by the range
    message), and an empty box is left to the field's required or range check."""

    def __init__(self, label=None, validators=None,
                 not_a_number="Enter a whole number, like 12.", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip()
        if not text:
            self.data = None
            return
        try:
            self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError(self.not_a_number) from None

    def validate(self, form, extra_validators=()):
        if self.process_errors:  # not a number: the range check has nothing to add
            self.errors = list(self.process_errors)
            return False
        return super().validate(form, extra_validators)


class TimeZoneField(SelectField):
    """A time zone picker: common zones first, then all the others (the value already
    chosen is always offered), and a zone that does not exist is refused in words."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, validate_choice=False, **kwargs)

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        self.choices = picker_zones(self.data)

    def pre_validate(self, form):
        if not is_valid_timezone(self.data):
            raise ValidationError("Choose a time zone from the list.")
