from django.core.management.base import BaseCommand

from alerts.services import deliveries_release_due, delivery_send
from alerts.services.deliveries import DeliveryRetry


class Command(BaseCommand):
    help = "Send deliveries whose quiet hours have ended (and any left behind) now, in this process."

    def handle(self, *args, **options):
        outcomes: dict[str, int] = {}
        for delivery_id in deliveries_release_due():
            try:
                status = delivery_send(delivery_id=delivery_id)
            except DeliveryRetry:
                status = "retry later"
            outcomes[status] = outcomes.get(status, 0) + 1
        summary = ", ".join(f"{count} {status}" for status, count in sorted(outcomes.items())) or "nothing due"
        self.stdout.write(self.style.SUCCESS(summary))
