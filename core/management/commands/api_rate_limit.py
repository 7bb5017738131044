from django.core.management.base import BaseCommand, CommandError

from core.services import api_tokens_rate_limit_set


class Command(BaseCommand):
    help = (
        "Set the rate limit of a user's API tokens (requests per JINGZHUN_API_RATE_WINDOW seconds), or of the token "
        "with --name; --default goes back to JINGZHUN_API_RATE_LIMIT. Tokens made later start at the default."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", help="only the token of this name")
        limit = parser.add_mutually_exclusive_group(required=True)
        limit.add_argument("--limit", type=int, help="requests per window, at least 1")
        limit.add_argument("--default", action="store_true", help="the default limit again")

    def handle(self, *args, username, name, limit, default, **options):
        try:
            changed = api_tokens_rate_limit_set(username=username, limit=None if default else limit, name=name)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        shown = "the default" if default else f"{limit} per window"
        self.stdout.write(f"{changed} token(s) of {username}: {shown}")
