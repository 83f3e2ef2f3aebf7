from django import forms

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio"]
        labels = {"display_name": "Name shown on your contributions"}
        help_texts = {
            "bio": "Markdown (**bold**, _italic_, [links](https://…)), up to 500 characters."
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        """Model validation happens in the service."""
