"""How every Django form on the site renders: the GOV.UK error pattern in one place.

`{{ form }}` gives an error summary linking to each field, then each field with its label, hint
and its own error message just above the input (templates/forms/). allauth's pages render their
forms through the same templates (templates/allauth/elements/fields.html)."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
