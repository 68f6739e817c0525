from typing import Any

from django import template

from concord.backups.queries import backup_status

register = template.Library()


@register.inclusion_tag("backups/_backup_status_line.html")
def backup_status_line() -> dict[str, Any]:
    """One line for the coordinators' dashboard: when the last backup ran and how it went."""
    return {"status": backup_status()}
