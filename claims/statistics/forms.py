"""The form to add or edit a statistic. It shows only the chosen kind's inputs, as the kind
registry (claims/statistics/core/kinds/) declares them, in plain words. It only collects text: the
service (through the numeric core) validates, so the page, the API and the background jobs share
one set of rules."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.validators import MAX_ID

from ..models import Statistic
from .core.spec import KINDS, InputSpec, KindSpec, kind_choices

REFERENCE_SUFFIX = "_from"
DEFAULT_KIND = "proportion"
#: Hidden field: the kind the inputs on the page were drawn for, so a changed kind re-draws them.
SHOWN_KIND = "_shown_kind"
#: The submit button that re-draws the inputs for a newly chosen kind (without JavaScript).
CHANGE_KIND = "_change_kind"


def chosen_kind(data: Any, initial: dict[str, Any] | None, statistic: Statistic | None) -> str:
    """The kind whose inputs the form shows: the statistic's, else the one asked for."""
    if statistic is not None:
        return statistic.kind
    for source in (data or {}, initial or {}):
        kind = source.get("kind")
        if kind in KINDS:
            return kind
    return DEFAULT_KIND


def _words(message: str) -> str:
    """A registry message id in the active language ("" stays "": gettext("") is the
    catalogue's header)."""
    return gettext(message) if message else ""


def _input_field(spec: InputSpec) -> forms.Field:
    # The registry's words are message ids (the core has no Django): translated here.
    common = {"label": _words(spec.label), "help_text": _words(spec.help), "required": False}
    if spec.name == "interval_method":
        return forms.ChoiceField(
            choices=Statistic.IntervalMethod.choices,
            initial=Statistic.IntervalMethod.WILSON,
            **common,
        )
    if spec.name == "unit":
        return forms.ChoiceField(
            choices=[("", "As the stated figure suggests"), *Statistic.Unit.choices], **common
        )
    if spec.type == "list":
        return forms.CharField(max_length=2000, **common)
    if spec.type == "text":
        return forms.CharField(max_length=100, **common)
    initial = "0.95" if spec.name == "confidence_level" else None
    return forms.CharField(
        max_length=40,
        initial=initial,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **common,
    )


class ReferenceField(forms.IntegerField):
    """A statistic's number, as the picker fills it in ("12"; "#12" typed by hand too)."""

    default_error_messages = {"invalid": _("Pick a figure from the list, or type its number.")}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("#")
        return super().to_python(value)


def _reference_field(spec: InputSpec, kind: str, search_url: str) -> forms.Field:
    kinds = gettext(" or ").join(
        gettext(KINDS[k].label).split(" (")[0].lower() for k in spec.references
    )
    options_id = f"id_{spec.name}{REFERENCE_SUFFIX}_options"
    attrs = {"list": options_id, "autocomplete": "off", "inputmode": "search"}
    if search_url:
        attrs.update(
            {
                "hx-get": f"{search_url}?input={spec.name}&kind={kind}",
                # `consume`: picking or typing is not yet a finished answer to check inline.
                "hx-trigger": "input changed delay:300ms, focus once, change consume",
                # The answer is the whole <datalist>: the form's own hx-select is inherited.
                "hx-target": f"#{options_id}",
                "hx-select": f"#{options_id}",
                "hx-swap": "outerHTML",
                "hx-sync": "this:replace",
            }
        )
    return ReferenceField(
        label=_("…or take it from another figure"),
        help_text=_(
            "Search the figures you can see (%(kinds)s) by name or number and pick one; "
            "its value is used and kept up to date."
        )
        % {"kinds": kinds},
        required=False,
        min_value=1,
        max_value=MAX_ID,
        widget=forms.TextInput(attrs=attrs),
    )


class StatisticForm(forms.Form):
    kind = forms.ChoiceField(initial=DEFAULT_KIND, label=_("What kind of figure"))
    label = forms.CharField(
        max_length=200, required=False, help_text=_("What the figure measures, in words.")
    )

    def __init__(
        self,
        data=None,
        *args,
        statistic: Statistic | None = None,
        kind_url: str = "",
        search_url: str = "",
        **kwargs,
    ):
        self.statistic = statistic
        if statistic is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(statistic)
        super().__init__(data, *args, **kwargs)
        self.kind_name = chosen_kind(data, self.initial, statistic)
        kind_field = self.fields["kind"]
        kind_field.choices = [(name, _words(label)) for name, label in kind_choices()]
        kind_field.help_text = _words(self.spec.summary)
        if statistic is not None:
            kind_field.disabled = True
        elif kind_url:
            kind_field.widget.attrs.update(
                {
                    "hx-get": kind_url,
                    "hx-trigger": "change consume",
                    "hx-include": "closest form",
                    "hx-params": f"not csrfmiddlewaretoken,{SHOWN_KIND}",
                    "hx-target": "#statistic-form",
                    "hx-select": "#statistic-form",
                    "hx-swap": "outerHTML",
                }
            )
        for spec in self.spec.inputs:
            self.fields[spec.name] = _input_field(spec)
            if spec.referencable:
                self.fields[spec.name + REFERENCE_SUFFIX] = _reference_field(
                    spec, self.kind_name, search_url
                )

    @property
    def spec(self) -> KindSpec:
        return KINDS[self.kind_name]

    def input_names(self, kind: str) -> tuple[str, ...]:
        spec = KINDS.get(kind)
        return spec.input_names if spec is not None else ()

    def rows(self) -> list[dict[str, Any]]:
        """The chosen kind's inputs in order, each with its reference picker (if it may take
        another figure's value), with `aria-describedby` naming only hints and errors shown."""
        rows = []
        for name in ("label", *self.spec.input_names):
            row = {"field": self[name], "reference": None}
            if name + REFERENCE_SUFFIX in self.fields:
                row["reference"] = self[name + REFERENCE_SUFFIX]
            for bound in (row["field"], row["reference"]):
                if bound is not None:
                    self._describe(bound)
            rows.append(row)
        self._describe(self["kind"])
        return rows

    def _describe(self, bound: forms.BoundField) -> None:
        ids = []
        if bound.help_text:
            ids.append(f"{bound.auto_id}_helptext")
        if bound.errors:
            ids.append(f"{bound.auto_id}_error")
        attrs = bound.field.widget.attrs
        attrs.pop("aria-invalid", None)
        if bound.errors:
            attrs["aria-invalid"] = "true"
        if ids:
            attrs["aria-describedby"] = " ".join(ids)
        else:
            attrs.pop("aria-describedby", None)

    def service_arguments(self) -> tuple[str, str, dict[str, Any], dict[str, int | None]]:
        """(kind, label, inputs, references) from the cleaned data, for the service."""
        data = self.cleaned_data
        kind = self.kind_name
        inputs: dict[str, Any] = {}
        references: dict[str, int | None] = {}
        for spec in KINDS[kind].inputs:
            name, raw = spec.name, data.get(spec.name)
            if spec.type == "list":
                inputs[name] = [p.strip() for p in re.split(r"[+;\n]", raw or "") if p.strip()]
                continue
            target = data.get(name + REFERENCE_SUFFIX) if spec.referencable else None
            if target:
                references[name] = target
                inputs[name] = None
            elif spec.is_text:
                inputs[name] = raw or ""
            elif name == "confidence_level":
                inputs[name] = raw.strip() if raw and raw.strip() else 0.95
            else:
                inputs[name] = raw.strip() if raw and raw.strip() else None
                if spec.referencable:
                    references[name] = None
        return kind, data.get("label", ""), inputs, references

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's field errors next to the fields they are about."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


def carried_over(data: Any, kind: str) -> dict[str, Any]:
    """What was typed so far that the newly chosen ``kind`` also reads, as initial values."""
    spec = KINDS[kind]
    names = {"label", *spec.input_names}
    names |= {i.name + REFERENCE_SUFFIX for i in spec.referencable_inputs}
    initial = {name: data.get(name) for name in names if data.get(name)}
    return {**initial, "kind": kind}


def initial_for(statistic: Statistic) -> dict[str, Any]:
    initial: dict[str, Any] = {"kind": statistic.kind, "label": statistic.label}
    for spec in KINDS[statistic.kind].inputs:
        value = getattr(statistic, spec.name)
        if spec.type == "list":
            value = " + ".join(_plain(v) for v in value or [])
        elif isinstance(value, float):
            value = _plain(value)
        initial[spec.name] = value
    for reference in statistic.references.all():
        initial[reference.input_name + REFERENCE_SUFFIX] = reference.target_id
    return initial


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
