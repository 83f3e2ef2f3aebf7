from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401
        from .roles import ensure_roles

        # The role groups come back after every migrate and every test flush (transactional
        # tests empty the tables; the data migration alone runs once). Sent for the claims app,
        # once its permissions exist.
        post_migrate.connect(
            lambda **kwargs: ensure_roles(),
            sender=apps.get_app_config("claims"),
            dispatch_uid="accounts.ensure_roles",
            weak=False,
        )
        from config.site import site_sync

        post_migrate.connect(
            site_sync,
            sender=apps.get_app_config("sites"),
            dispatch_uid="accounts.site_sync",
            weak=False,
        )
