"""The applicants benchmark's count, inside Django, in a subprocess with the server's
environment: what the database holds for the applications whose contact address starts
with the run's prefix.

Usage: python -m bench.applicants_check PREFIX OUT.json
"""

import json
import os
import sys
from pathlib import Path


def main(prefix: str, out_path: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    from django.db.models import Count, Q

    from concord.membership.models import Application, ApplicationStatus

    applications = Application.objects.filter(contact_email__startswith=prefix)
    submitted_once = applications.annotate(
        changes=Count("status_changes"),
        submits=Count(
            "status_changes",
            filter=Q(
                status_changes__from_status=ApplicationStatus.DRAFT,
                status_changes__to_status=ApplicationStatus.UNCONFIRMED,
            ),
        ),
    ).filter(changes=1, submits=1)
    counts = {
        "applications": applications.count(),
        "distinct_emails": applications.values("contact_email").distinct().count(),
        "distinct_references": applications.values("reference").distinct().count(),
        "unconfirmed": applications.filter(status=ApplicationStatus.UNCONFIRMED).count(),
        "submitted_once": submitted_once.count(),
    }
    Path(out_path).write_text(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
