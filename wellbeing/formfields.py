"""Form fields shared by several areas."""
from wtforms import IntegerField


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
