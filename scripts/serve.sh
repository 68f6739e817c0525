#!/usr/bin/env bash
# Production serving: gunicorn with DEBUG=0 and the task worker beside it.
set -euo pipefail
export DEBUG=0
port=${PORT:-8000}
py=.venv/bin/python

"$py" manage.py check --deploy
"$py" manage.py collectstatic --noinput -v0
"$py" manage.py migrate --noinput
"$py" manage.py createcachetable

"$py" manage.py db_worker &
worker=$!
"$py" manage.py run_scheduler &
scheduler=$!
trap 'kill "$worker" "$scheduler" 2>/dev/null || true' EXIT INT TERM

.venv/bin/gunicorn config.wsgi:application \
  --bind "${BIND:-127.0.0.1}:$port" \
  --workers "${WEB_CONCURRENCY:-2}" \
  --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms' \
  --access-logfile - --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --no-control-socket
