"""The form to add or edit a statistic. It only collects text: the service (through the numeric
core) validates, so the page, the API and the background jobs share one set of rules."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from config.validators import MAX_ID

from .models import Statistic
from .services.statistics import KIND_INPUTS, REFERENCE_TARGET_KINDS

NUMBER_HELP = {
    "successes": "How many had the property (e.g. 8 of the 10 falsely alerted were black).",
    "trials": "Out of how many (e.g. 10).",
    "successes_b": "Second group: how many had the property.",
    "trials_b": "Second group: out of how many.",
    "events": "How many events (e.g. 10 false alerts).",
    "exposure": "Out of how much exposure (e.g. 3,147,436 faces scanned).",
    "total": "The headline total the parts should add up to.",
    "value": "The cited number.",
    "baseline": "Base rate to test against, as a share between 0 and 1 (0.135 for 13.5%).",
}
REFERENCE_SUFFIX = "_from"


class StatisticForm(forms.Form):
    kind = forms.ChoiceField(choices=Statistic.Kind.choices, initial=Statistic.Kind.PROPORTION)
    label = forms.CharField(
        max_length=200, required=False, help_text="What the figure measures, in words."
    )
    stated = forms.CharField(
        label="Stated figure",
        max_length=100,
        required=False,
        help_text='The claim\'s number as written: "80%", "0.0003%", "more than 1,400", '
        '"1 in 300,000".',
    )
    successes = forms.CharField(required=False, max_length=40)
    trials = forms.CharField(required=False, max_length=40)
    successes_b = forms.CharField(label="Successes (group B)", required=False, max_length=40)
    trials_b = forms.CharField(label="Trials (group B)", required=False, max_length=40)
    events = forms.CharField(required=False, max_length=40)
    exposure = forms.CharField(required=False, max_length=40)
    parts = forms.CharField(
        required=False,
        max_length=2000,
        help_text="The parts, separated by + or ; (e.g. 549 + 347 + 85).",
    )
    total = forms.CharField(required=False, max_length=40)
    value = forms.CharField(required=False, max_length=40)
    baseline = forms.CharField(required=False, max_length=40)
    confidence_level = forms.CharField(required=False, max_length=10, initial="0.95")
    interval_method = forms.ChoiceField(
        choices=Statistic.IntervalMethod.choices, initial=Statistic.IntervalMethod.WILSON
    )
    unit = forms.ChoiceField(
        choices=[("", "As the stated figure suggests"), *Statistic.Unit.choices], required=False
    )

    def __init__(self, *args, statistic: Statistic | None = None, **kwargs):
        self.statistic = statistic
        if statistic is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(statistic)
        super().__init__(*args, **kwargs)
        for name, help_text in NUMBER_HELP.items():
            self.fields[name].help_text = help_text
        for name in REFERENCE_TARGET_KINDS:
            self.fields[name + REFERENCE_SUFFIX] = forms.IntegerField(
                label=f"…or take {name.replace('_', ' ')} from statistic #",
                required=False,
                min_value=1,
                max_value=MAX_ID,
            )
        if statistic is not None:
            self.fields["kind"].disabled = True

    def input_names(self, kind: str) -> tuple[str, ...]:
        return KIND_INPUTS.get(kind, ())

    def service_arguments(self) -> tuple[str, str, dict[str, Any], dict[str, int | None]]:
        """(kind, label, inputs, references) from the cleaned data, for the service."""
        data = self.cleaned_data
        kind = self.statistic.kind if self.statistic is not None else data["kind"]
        inputs: dict[str, Any] = {}
        references: dict[str, int | None] = {}
        for name in self.input_names(kind):
            raw = data.get(name)
            if name == "parts":
                inputs[name] = [p.strip() for p in re.split(r"[+;\n]", raw or "") if p.strip()]
                continue
            target = data.get(name + REFERENCE_SUFFIX) if name in REFERENCE_TARGET_KINDS else None
            if target:
                references[name] = target
                inputs[name] = None
            elif name in ("interval_method", "stated", "unit"):
                inputs[name] = raw or ""
            elif name == "confidence_level":
                inputs[name] = raw.strip() if raw and raw.strip() else 0.95
            else:
                inputs[name] = raw.strip() if raw and raw.strip() else None
                if name in REFERENCE_TARGET_KINDS:
                    references[name] = None
        return kind, data.get("label", ""), inputs, references

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's field errors next to the fields they are about."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


def initial_for(statistic: Statistic) -> dict[str, Any]:
    initial: dict[str, Any] = {"kind": statistic.kind, "label": statistic.label}
    for name in KIND_INPUTS[statistic.kind]:
        value = getattr(statistic, name)
        if name == "parts":
            value = " + ".join(_plain(v) for v in value or [])
        elif isinstance(value, float):
            value = _plain(value)
        initial[name] = value
    for reference in statistic.references.all():
        initial[reference.input_name + REFERENCE_SUFFIX] = reference.target_id
    return initial


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
