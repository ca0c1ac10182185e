#!/bin/sh
# First start of the compose database only (docker-entrypoint-initdb.d): the image has made the owner
# role (POSTGRES_USER, who runs migrations and owns the tables); this adds the application's login
# role, whose privileges `manage.py print_db_grants --apply` then narrows (docs/security.md,
# "Database roles").
set -eu
app_password=$(cat /run/secrets/db_app_password)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_role="${DB_APP_ROLE:-neglect_app}" -v app_password="$app_password" <<'SQL'
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password';
SQL
