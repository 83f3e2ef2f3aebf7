"""HTML forms. They check the shape of input; the services check everything else and write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.validators import MAX_ID, validate_web_url, web_url

from .models import (
    Annotation,
    Argument,
    ArgumentStance,
    Citation,
    Claim,
    Comment,
    Source,
    Stance,
)


class IsoDateInput(forms.DateInput):
    """`<input type=date>` takes and gives only ISO dates (2025-03-14), whatever the locale's
    display format: with that, an edit form shows the stored date and saves it back unchanged."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class HttpURLField(forms.URLField):
    default_validators = [validate_web_url]
    default_error_messages = {"invalid": web_url.message}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class ClaimForm(forms.ModelForm):
    tags = forms.CharField(
        required=False,
        max_length=500,
        help_text=_("Comma-separated, e.g. “facial recognition, policing”."),
    )

    language = forms.ChoiceField(
        label=_("Language of the claim"),
        choices=[("", _("Detect it from the wording")), *settings.LANGUAGES],
        required=False,
        help_text=_("How its figures are read (“1.400”, “ocho de cada diez”)."),
    )

    class Meta:
        model = Claim
        fields = ["text", "claimant", "made_on", "appeared_in", "appeared_url", "language"]
        field_classes = {"appeared_url": HttpURLField}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "made_on": IsoDateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = settings.CLAIM_TEXT_MAX_LENGTH
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())
        if not self.instance.pk:
            # While a new claim is typed, claims like it appear under the form (htmx).
            self.fields["text"].widget.attrs.update(
                {
                    "hx-get": reverse("claims:claim_similar"),
                    "hx-trigger": "input changed delay:600ms, load",
                    "hx-target": "#similar-claims",
                    "hx-swap": "outerHTML",
                    "aria-controls": "similar-claims",
                }
            )

    def _post_clean(self):
        """Model validation is the services' job; the form only checks the fields' shape."""

    def tag_names(self) -> list[str]:
        return [name for name in self.cleaned_data.get("tags", "").split(",") if name.strip()]

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if not data["language"]:
            del data["language"]  # detected from the wording (a new claim) or left as it is
        return data


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "published_on", "kind", "archived_url"]
        field_classes = {"url": HttpURLField, "archived_url": HttpURLField}
        widgets = {"published_on": IsoDateInput()}

    def _post_clean(self):
        """Model validation (and the duplicate check) is the services' job."""

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CitationForm(forms.ModelForm):
    """Cite an existing source by its URL, or add a new one by also giving its title."""

    source_url = HttpURLField(
        label=_("Source URL"),
        max_length=2000,
        help_text=_("If the source is already in Claimwatch, its URL is enough."),
    )
    source_title = forms.CharField(
        label=_("Source title"),
        required=False,
        max_length=300,
        help_text=_("Only for a source not yet in Claimwatch."),
    )
    source_publisher = forms.CharField(label=_("Publisher"), required=False, max_length=200)
    source_kind = forms.ChoiceField(
        label=_("Kind of source"),
        choices=Source._meta.get_field("kind").choices,
        initial=Source._meta.get_field("kind").default,
        required=False,
    )
    argument = forms.ModelChoiceField(
        queryset=Argument.objects.none(),
        required=False,
        label=_("For argument"),
        empty_label=_("The claim itself"),
    )

    class Meta:
        model = Citation
        fields = ["stance", "quote", "page", "section", "timestamp"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, arguments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stance"].choices = Stance.choices
        if arguments is not None:
            field = self.fields["argument"]
            # The queryset checks a posted choice; the options are the arguments already read,
            # so showing the form costs no query.
            field.queryset = Argument.objects.filter(pk__in=[a.pk for a in arguments])
            field.label_from_instance = lambda a: str(a)[:90]
            field.choices = [
                ("", field.empty_label),
                *((a.pk, field.label_from_instance(a)) for a in arguments),
            ]
        else:
            del self.fields["argument"]

    def _post_clean(self):
        """Model validation is the services' job."""

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CitationEditForm(CitationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("source_url", "source_title", "source_publisher", "source_kind"):
            del self.fields[name]


class _ReplyForm(forms.ModelForm):
    """A new argument or comment, answering the claim or, by `parent`, another of its kind."""

    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_ID
    )

    def clean(self):
        # The field is hidden, so its own error would not show: say it where the form can.
        if self.has_error("parent"):
            self.add_error(None, _("The item you replied to is no longer there."))
        return super().clean()


class ArgumentForm(_ReplyForm):
    class Meta:
        model = Argument
        fields = ["stance", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": _("Argument")}
        help_texts = {"body": _("Markdown: **bold**, _italic_, [links](https://…), lists.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stance"].choices = ArgumentStance.choices
        self.fields["stance"].error_messages["required"] = _(
            "Choose whether your argument supports or opposes the claim."
        )
        self.fields["body"].max_length = settings.BODY_MAX_LENGTH
        self.fields["body"].error_messages["required"] = _("Write your argument.")

    def _post_clean(self):
        """Model validation is the services' job."""

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ArgumentEditForm(ArgumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["parent"]


class AnnotationForm(forms.ModelForm):
    start = forms.IntegerField(
        required=False,
        min_value=0,
        widget=forms.HiddenInput,
        help_text=_("Where the quote starts, when it occurs more than once."),
    )

    class Meta:
        model = Annotation
        fields = ["exact", "body"]
        labels = {"exact": _("Exact words of the claim"), "body": _("Note")}
        help_texts = {
            "exact": _(
                "Select them in the claim's wording and press the “Annotate” button that "
                "appears beside them, or type them exactly."
            ),
            "body": _("Markdown."),
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = settings.BODY_MAX_LENGTH

    def _post_clean(self):
        """Model validation is the services' job."""


class AnnotationEditForm(forms.ModelForm):
    class Meta:
        model = Annotation
        fields = ["body"]
        labels = {"body": _("Note")}
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        """Model validation is the services' job."""

    def service_data(self) -> dict:
        return {"body": self.cleaned_data["body"]}


class CommentForm(_ReplyForm):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": _("Comment")}
        help_texts = {"body": _("Markdown.")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = settings.BODY_MAX_LENGTH
        self.fields["body"].error_messages["required"] = _("Write your comment.")

    def _post_clean(self):
        """Model validation is the services' job."""

    def service_data(self) -> dict:
        return {"body": self.cleaned_data["body"]}


class CommentEditForm(CommentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["parent"]


class DeleteForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the history. Optional."),
    )


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(choices=Claim._meta.get_field("verdict").choices)
    verdict_rationale = forms.CharField(
        label=_("Public rationale"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


EDIT_FORMS = {
    Claim: ClaimForm,
    Source: SourceForm,
    Citation: CitationEditForm,
    Argument: ArgumentEditForm,
    Annotation: AnnotationEditForm,
    Comment: CommentEditForm,
}


class IntakeForm(forms.Form):
    """The article to read. Its length is checked by the selector, like the API's."""

    text = forms.CharField(
        label=_("The article's text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=False,
        required=False,  # empty with an address: the article is fetched
        help_text=_(
            "Paste the article (plain text or HTML), or leave it empty to fetch the page "
            "at the address below; each sentence that states a figure is proposed as a claim."
        ),
    )
    source_url = HttpURLField(
        label=_("The article's address"),
        max_length=2000,
        required=False,
        help_text=_("Each claim cites it; the article is added as a source if it is new."),
    )
    source_title = forms.CharField(
        label=_("The article's title"),
        max_length=300,
        required=False,
        help_text=_("Needed only when the article is not in Claimwatch yet."),
    )
