#!/usr/bin/env bash
# Serves the demo with Django's development server and runs the task worker beside it;
# stopping one (Ctrl-C) stops both.
set -euo pipefail
port=${PORT:-8000}
py=.venv/bin/python

"$py" manage.py db_worker --interval 1 &
worker=$!
"$py" manage.py run_scheduler --interval 60 &
scheduler=$!
trap 'kill "$worker" "$scheduler" 2>/dev/null || true' EXIT INT TERM

echo
echo "Concord is at http://127.0.0.1:$port/ (Spanish: http://127.0.0.1:$port/es/). Ctrl-C stops it."
"$py" manage.py runserver "127.0.0.1:$port"
