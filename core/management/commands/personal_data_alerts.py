"""`manage.py personal_data_alerts`: raise the county office's alerts about reads of personal data (个人信息查阅提醒)
from the last month of the log; meant for the daily timer beside the backup (the work queue raises them too)."""

from django.core.management.base import BaseCommand

from core.models import PersonalDataAlert
from core.personal import raise_due_alerts


class Command(BaseCommand):
    help = "Raise the alerts about reads of personal data that the log of the last month calls for."

    def handle(self, *args, **options):
        raise_due_alerts()
        count = PersonalDataAlert.objects.filter(closed_at__isnull=True).count()
        self.stdout.write(f"{count} personal-data alerts open.")
