from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo (`manage.py seed_demo`): synthetic people through every part of the product. It sits on top of
    every other app, which never import it."""

    name = "demo"
    default_auto_field = "django.db.models.BigAutoField"
