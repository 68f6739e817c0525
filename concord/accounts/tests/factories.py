import factory
from allauth.account.models import EmailAddress

from concord.accounts.models import AgencyRole, User
from concord.agencies.tests.factories import AgencyFactory

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda number: f"person{number}@example.org")
    full_name = factory.Sequence(lambda number: f"Person {number}")
    agency = factory.SubFactory(AgencyFactory)
    agency_role = AgencyRole.MEMBER
    # Hashing with Argon2 for every test user would dominate the suite's time.
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class CoordinatorFactory(UserFactory):
    agency = None
    agency_role = ""
    is_staff = True
