#!/usr/bin/env bash
# The whole suite: static checks, deployment checks, then every test on SQLite and again
# on a real PostgreSQL started here on loopback.
set -euo pipefail
py=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings
unset DATABASE_URL EMAIL_HOST

step() { printf '\n== %s\n' "$*"; }

step "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

step "mypy"
.venv/bin/mypy

step "migrations match the models"
"$py" manage.py makemigrations --check --dry-run

step "deployment checks with production settings"
DEBUG=0 SECRET_KEY="$("$py" -c 'import secrets; print(secrets.token_urlsafe(64))')" \
  FIELD_ENCRYPTION_KEY="$("$py" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
  ALLOWED_HOSTS=concord.example.org "$py" manage.py check --deploy --fail-level WARNING

# The two runs share nothing but the machine, and each is mostly one busy core, so they run
# side by side: the whole suite in a little more than the slower run's time, well inside
# CI's 20 minutes. Each has its own var directory (uploads, encrypted files) and log; both
# stream as they go, each line prefixed with its run's name.
step "tests on SQLite and on PostgreSQL, side by side"
database_url=$(scripts/test-postgres.sh start)
runs=$(mktemp -d)
trap 'scripts/test-postgres.sh stop; rm -rf "$runs"' EXIT
run() {
  local name=$1
  shift
  set +e +o pipefail
  env CONCORD_VAR_DIR="$runs/$name" "$@" 2>&1 | tee "$runs/$name.log" | sed -u "s/^/[$name] /"
  echo "${PIPESTATUS[0]}" >"$runs/$name.status"
}
run sqlite "$py" -m pytest -p no:cacheprovider "$@" &
run postgresql DATABASE_URL="$database_url" "$py" -m pytest -p no:cacheprovider "$@" &
wait
failed=0
for name in sqlite postgresql; do
  step "$name: $(tail -n 1 "$runs/$name.log")"
  if [ "$(cat "$runs/$name.status")" != 0 ]; then
    failed=1
    echo "The $name run failed: its lines above start with [$name]."
  fi
done
exit "$failed"
