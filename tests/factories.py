"""Test data builders: explicit, deterministic, no random rows."""

import factory
from django.contrib.auth import get_user_model

from core import regions as rules
from core.models import RoleGrant
from core.services import api_token_create
from villages.models import Region

PASSWORD = "Zhenlai-2017-test!"


def make_region(code: str, name: str | None = None) -> Region:
    """The region with this code, creating it and any missing ancestors."""
    parent = rules.parent_code(code)
    parent_region = make_region(parent) if parent else None
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={"name": name or f"区划{code}", "level": rules.level_of(code), "parent": parent_region},
    )
    return region


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def grants(self, create, extracted, **kwargs):
        """grants=[("village_team", "220821100201"), …]"""
        self.save()
        for role, code in extracted or ():
            RoleGrant.objects.create(user=self, role=role, region=make_region(code))


def token_for(user) -> str:
    """A new API token for the user, as the token endpoint makes it (the token itself, not its digest)."""
    return api_token_create(user=user)[1]
