from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import instruments as catalogue
from ..core.formfields import WholeNumberField, option, option_value
from .models import DEFAULT_INSTRUMENTS


def field_name(instrument, n: int) -> str:
    return f"{instrument.slug}_{n}"


_FORM_CLASSES: dict[tuple, type] = {}


def wave_form_class(instruments):
    """A form with one radio group per item of every instrument in the wave, built once
    per set of instruments (the registry's objects live as long as the process)."""
    key = tuple(id(i) for i in instruments)
    if key not in _FORM_CLASSES:
        _FORM_CLASSES[key] = _build_form_class(instruments)
    return _FORM_CLASSES[key]


class ItemField(RadioField):
    """One questionnaire item: a radio group over the instrument's scale. A survey form
    holds 20 to 30 of them, so the check that the answer is on the scale is a set lookup
    instead of WTForms' walk through every choice of every item."""

    def __init__(self, label=None, validators=None, choices=(), **kwargs):
        super().__init__(label, validators, choices=choices, **kwargs)
        self.scale = frozenset(option_value(choice) for choice in choices)

    def pre_validate(self, form):
        if not self.process_errors and self.data not in self.scale:
            raise ValidationError(self.gettext("Not a valid choice."))


def _build_form_class(instruments):
    class WaveForm(FlaskForm):
        submit = SubmitField("Send my answers")

    for instrument in instruments:
        choices = [option(str(v), str(v)) for v in instrument.values]
        for item in instrument.items:
            setattr(WaveForm, field_name(instrument, item.n), ItemField(
                item.text, choices=choices,
                validators=[InputRequired(message="Choose an answer for this statement.")]))
    return WaveForm


def answers_from(form, instruments) -> dict[str, dict[int, int]]:
    return {i.code: {item.n: int(form[field_name(i, item.n)].data) for item in i.items}
            for i in instruments}


def missing_items(form, instruments) -> list[tuple]:
    """(instrument, item, field) for every unanswered item, in page order."""
    missing = []
    for instrument in instruments:
        for item in instrument.items:
            f = form[field_name(instrument, item.n)]
            if f.errors:
                missing.append((instrument, item, f))
    return missing


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlanForm(FlaskForm):
    instruments = MultiCheckboxField("Questionnaires")
    followup_enabled = BooleanField("Add a follow-up survey after the course")
    followup_weeks = WholeNumberField(
        "Weeks after the course ends", default=12,
        validators=[NumberRange(4, 52, "Choose between 4 and 52 weeks.")])
    submit = SubmitField("Save survey settings")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        registry = catalogue.registry()
        codes = [*DEFAULT_INSTRUMENTS, *sorted(set(registry) - set(DEFAULT_INSTRUMENTS))]
        self.instruments.choices = [(c, registry[c].title) for c in codes
                                    if c in registry]

    def validate_instruments(self, field):
        if not field.data:
            raise ValidationError("Choose at least one questionnaire.")
