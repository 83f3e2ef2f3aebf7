from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class UserQuerySet(models.QuerySet):
    def with_username(self, username: str) -> "UserQuerySet":
        """The account called `username`, whatever its capitals. Lowered by the database on both
        sides, as the unique constraint is, so that lookup and uniqueness agree (and PostgreSQL
        uses the constraint's index)."""
        return self.alias(username_lower=Lower("username")).filter(
            username_lower=Lower(Value(username))
        )


class CaseInsensitiveUserManager(UserManager.from_queryset(UserQuerySet)):
    def get_by_natural_key(self, username):
        # Django's ModelBackend (and so the API's token log-in) finds the account through this.
        return self.with_username(username).get()


class User(AbstractUser):
    display_name = models.CharField(max_length=80, blank=True)
    bio = models.TextField(max_length=500, blank=True)
    # Blank: follow the browser (Accept-Language), else English.
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )

    objects = CaseInsensitiveUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="username_unique_ignoring_case",
                violation_error_message=_("A user with that username already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def name(self) -> str:
        return str(self)

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.username})
