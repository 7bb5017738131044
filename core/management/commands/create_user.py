import pghistory
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import RoleGrant
from core.roles import Role
from core.services import user_create_or_update


class Command(BaseCommand):
    help = (
        "Create a user, or add role grants to an existing one. Repeat --role/--region pairs for "
        "several grants. Roles: " + ", ".join(Role.values) + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", help="required for a new user; replaces the password of an existing one")
        parser.add_argument("--role", action="append", default=[], help="a role; pair each with a --region")
        parser.add_argument("--region", action="append", default=[], help="12-digit region code the role covers")
        parser.add_argument("--superuser", action="store_true", help="an administrator who sees everything")

    def handle(self, *args, username, password, role, region, superuser, **options):
        if len(role) != len(region):
            raise CommandError(
                f"give one --region for each --role ({len(role)} role(s), {len(region)} region(s)); "
                "e.g. --role village_team --region 220821100201"
            )
        unknown = [r for r in role if r not in Role.values]
        if unknown:
            raise CommandError(f"unknown role {unknown[0]!r}; choose one of: {', '.join(Role.values)}")
        # The region table is the one RoleGrant.region points at (villages.Region, a floor above core).
        region_model = RoleGrant._meta.get_field("region").related_model
        regions = {r.code: r for r in region_model.objects.filter(code__in=region)}
        missing = [code for code in region if code not in regions]
        if missing:
            raise CommandError(
                f"unknown region {missing[0]!r}: no region has that code (12 digits; load regions first, "
                "e.g. python manage.py seed_demo)"
            )
        if not role and not superuser:
            self.stderr.write("warning: no --role given; the user can sign in but sees nothing")
        try:
            with pghistory.context(command="create_user"):
                user, created, _grants = user_create_or_update(
                    username=username,
                    password=password,
                    grants=[(r, regions[code]) for r, code in zip(role, region, strict=True)],
                    superuser=superuser,
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        grants = ", ".join(f"{r}@{code}" for r, code in zip(role, region, strict=True)) or "no grants"
        self.stdout.write(f"{'created' if created else 'updated'} user {user.username} ({grants})")
