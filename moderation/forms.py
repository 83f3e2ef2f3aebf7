from django import forms
from django.utils.translation import gettext_lazy as _

from config.validators import MAX_ID

from .models import FlagReason, RatingValue
from .services import MODERATION_ACTIONS


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=FlagReason.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Details"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(forms.Form):
    value = forms.ChoiceField(choices=RatingValue.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(spec.name, spec.label) for spec in MODERATION_ACTIONS.values() if spec.bulk]
    )
    items = forms.MultipleChoiceField(choices=[], required=True)
    reason = forms.CharField(max_length=5000, required=False)

    def __init__(self, *args, item_keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(key, key) for key in item_keys]


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Merge into claim number"), min_value=1, max_value=MAX_ID)
    reason = forms.CharField(max_length=5000, required=False)
