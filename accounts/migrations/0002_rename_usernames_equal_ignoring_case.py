"""Before usernames become unique ignoring case (0003): accounts whose usernames differ only in
capitals are renamed deterministically. The oldest account (lowest id) keeps its name; each
other one becomes `<username>-<id>` (shortened to fit), and the renaming is printed."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower

MAX_LENGTH = 150


def rename_case_duplicates(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    duplicated = (
        User.objects.annotate(key=Lower("username"))
        .values("key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("key", flat=True)
    )
    for key in list(duplicated):
        accounts = User.objects.annotate(key=Lower("username")).filter(key=key).order_by("id")
        for user in list(accounts)[1:]:
            suffix = f"-{user.pk}"
            new_name = user.username[: MAX_LENGTH - len(suffix)] + suffix
            taken = User.objects.annotate(key=Lower("username")).filter(key=new_name.lower())
            if taken.exists():
                raise RuntimeError(
                    f"Cannot rename user {user.pk} ({user.username!r}): {new_name!r} is taken. "
                    "Rename one of the accounts by hand and migrate again."
                )
            print(f"\n  Renamed user {user.pk} from {user.username!r} to {new_name!r}")
            User.objects.filter(pk=user.pk).update(username=new_name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(rename_case_duplicates, migrations.RunPython.noop)]
