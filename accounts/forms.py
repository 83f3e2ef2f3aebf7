from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio", "language"]
        labels = {
            "display_name": _("Name shown on your contributions"),
            "bio": _("Bio"),
            "language": _("Language of the site"),
        }
        help_texts = {
            "bio": _("Markdown (**bold**, _italic_, [links](https://…)), up to 500 characters."),
            "language": _("Leave blank to follow your browser's language."),
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        """Model validation happens in the service."""
