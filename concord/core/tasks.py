from django_tasks import task

from concord.core.mail import deliver_queued


@task()
def deliver_queued_email() -> dict[str, int]:
    """Every scheduler pass: send the messages that waited for the mail server."""
    return deliver_queued()
