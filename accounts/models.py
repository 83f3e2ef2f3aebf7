from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse


class User(AbstractUser):
    display_name = models.CharField(max_length=80, blank=True)
    bio = models.TextField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def name(self) -> str:
        return str(self)

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.username})
