"""The part of the benchmark that runs inside Django, in a subprocess with the server's
environment (the same SECRET_KEY and database as gunicorn):

- signs the personas in by writing sessions straight into the database, as
  ``django.contrib.auth.login`` and the MFA step would, and returns their keys;
- resolves the pages' path parameters;
- requests every page twice with Django's test Client and counts the second request's
  queries (``CaptureQueriesContext``): the steady state, with caches warm.

Usage: python -m bench.django_side PLAN.json OUT.json
PLAN: {"pages": [{"name", "path", "user", "status"}]}
"""

import json
import os
import sys
import time
from importlib import import_module
from pathlib import Path
from typing import Any


def main(plan_path: str, out_path: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import PERSONAS

    plan = json.loads(Path(plan_path).read_text())
    users = {persona: _user(email) for persona, email in PERSONAS.items()}
    sessions = {persona: _session_for(user) for persona, user in users.items()}
    params = {
        "member_agency": users["member"].agency_id,
        "member_feed": _feed_token_for(users["member"]),
        "application": _first_in_queue(),
        "public_service": _first_public_service(),
    }

    results: dict[str, Any] = {}
    for page in plan["pages"]:
        path = page["path"].format(**params)
        client = Client(HTTP_HOST="127.0.0.1")
        if page["user"]:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[page["user"]]
        client.get(path)  # warm: the first request fills per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        results[page["name"]] = {
            "path": path,
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "sql": [query["sql"] for query in captured.captured_queries],
        }
    out = {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "sessions": sessions,
        "params": params,
        "pages": results,
    }
    Path(out_path).write_text(json.dumps(out))
    return 0


def _first_in_queue() -> int:
    from concord.membership.queries import review_queue

    first = review_queue().first()
    if first is None:
        raise SystemExit("The demo has no application in review: seed_demo must make some.")
    return first.pk


def _first_public_service() -> str:
    from concord.directory.models import ServiceStatus
    from concord.directory.queries import services_for_hsds

    first = services_for_hsds(public=True, full=False).filter(status=ServiceStatus.ACTIVE).first()
    if first is None:
        raise SystemExit("The demo has no public service: seed_demo must make some.")
    return str(first.pk)


def _user(email: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=email)


def _feed_token_for(user: Any) -> str:
    """The person's private calendar feed token, made as the feed page's first POST would."""
    from concord.meetings.services.calendar import create_feed

    return create_feed(actor=user).token


def _session_for(user: Any) -> str:
    """A signed-in session, as django.contrib.auth.login writes it, with MFA passed."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from concord.accounts.middleware import LOGIN_AT, MFA_VERIFIED_USER, SEEN_AT

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = int(time.time())
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[MFA_VERIFIED_USER] = user.pk
    store[LOGIN_AT] = now
    store[SEEN_AT] = now
    store.create()
    return str(store.session_key)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
