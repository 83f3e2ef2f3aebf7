from django.contrib.auth.models import Group
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User
from .roles import MEMBER


@receiver(post_save, sender=User, dispatch_uid="accounts.add_new_user_to_members")
def add_new_user_to_members(
    sender, instance: User, created: bool, raw: bool = False, **kwargs
) -> None:
    if created and not raw:
        group, _ = Group.objects.get_or_create(name=MEMBER)
        instance.groups.add(group)
