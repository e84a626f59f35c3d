import factory

from users.models import User
from users.services import user_register

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.Factory):
    """People signed up through the real sign-up service."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = PASSWORD
    timezone = "UTC"
    currency = "USD"
    display_name = factory.Faker("first_name")

    @classmethod
    def _create(cls, model_class, **fields):
        return user_register(**fields)
