import factory
from django.contrib.auth import get_user_model

from stakeholders.models import County, Gmina, GminaKind, Voivodeship
from stakeholders.roles import Role


class VoivodeshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Voivodeship
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{(n % 16 + 1) * 2:02d}")
    name = factory.LazyAttribute(lambda o: f"województwo {o.code}")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("code",)

    voivodeship = factory.SubFactory(VoivodeshipFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.voivodeship.code}{n % 60 + 1:02d}")
    name = factory.LazyAttribute(lambda o: f"powiat {o.code}")


class GminaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gmina
        django_get_or_create = ("code",)

    county = factory.SubFactory(CountyFactory)
    kind = GminaKind.RURAL
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.county.code}{n % 99 + 1:02d}{o.kind}")
    name = factory.Sequence(lambda n: f"Gmina {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Testowy{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    role = Role.ANIMATOR
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def gminas(self, create, extracted, **kwargs):
        if create and extracted:
            self.gminas.set(extracted)
        if create:
            self.save()
