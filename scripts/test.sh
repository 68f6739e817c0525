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

step "tests on SQLite"
"$py" -m pytest -p no:cacheprovider "$@"

step "tests on PostgreSQL"
database_url=$(scripts/test-postgres.sh start)
trap 'scripts/test-postgres.sh stop' EXIT
DATABASE_URL=$database_url "$py" -m pytest -p no:cacheprovider "$@"
