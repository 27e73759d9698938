#!/usr/bin/env bash
# The whole test suite, in two tiers:
#   1. embedded: SQLite, the filesystem broker, a real Celery worker, real SMTP, Chromium
#   2. services: PostgreSQL + Redis, a real Celery worker on Redis, real SMTP
# Outside CI a tier whose services are missing is skipped with a note; with CI=true it fails.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
CI=${CI:-}
PG_URL=${TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/wellbeing_test}
REDIS=${TEST_REDIS:-redis://127.0.0.1:6379/15}

if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing Debian's chromium for the browser tests"
  (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) \
    || echo "could not install chromium"
fi

status=0
echo "== lint (ruff)"
"$VENV/bin/ruff" check wellbeing tasks tests $(ls -d bench 2>/dev/null) || status=$?

echo "== import layers (import-linter: see [tool.importlinter] in pyproject.toml)"
"$VENV/bin/lint-imports" --no-cache > "${TMPDIR:-/tmp}/lint-imports.log" 2>&1 || status=$?
sed -n '/^Contracts$/,$p' "${TMPDIR:-/tmp}/lint-imports.log"

echo "== known vulnerabilities (pip-audit: scripts/audit.sh; WELLBEING_AUDIT=required fails when no service answers)"
VENV="$VENV" bash scripts/audit.sh || status=$?

# The two tiers share nothing (tier 1: SQLite and folders in its own temporary dirs;
# tier 2: PostgreSQL and Redis db 15) and spend much of their time waiting on browsers,
# workers and servers, so they run side by side; each one's output is printed whole.
logs=$(mktemp -d)
echo "== tier 1: SQLite, filesystem broker, Celery worker, SMTP, browser (beside tier 2)"
# Tests marked tier2 (fault runs with their own PostgreSQL and Redis, pg_dump and restore) run in tier 2 only.
env -u TEST_DATABASE_URL -u TEST_REDIS_URL "$VENV/bin/pytest" -m "not tier2" "$@" \
  > "$logs/tier1.log" 2>&1 &
tier1=$!

tier2=
services_ready=
if "$PY" scripts/services_ready.py "$PG_URL" "$REDIS"; then
  services_ready=1
  TEST_DATABASE_URL="$PG_URL" TEST_REDIS_URL="$REDIS" "$VENV/bin/pytest" -m "not browser" "$@" \
    > "$logs/tier2.log" 2>&1 &
  tier2=$!
fi

if [ -n "$services_ready" ]; then
  # Tier 2 ends first; the load profile runs while tier 1 is still going.
  wait "$tier2" || status=$?
  echo "== load, short profile (bench/load.py --ci: 20 participants x 10 s, errors fail it)" \
    > "$logs/load.log"
  DATABASE_URL="${PG_URL%/*}/wellbeing_load_bench" REDIS_URL="${REDIS%/*}/14" \
    "$PY" bench/load.py --ci >> "$logs/load.log" 2>&1 || status=$?
fi
wait "$tier1" || status=$?
echo "== tier 1 output"
cat "$logs/tier1.log"
echo "== tier 2: PostgreSQL + Redis + Celery worker"
if [ -n "$services_ready" ]; then
  cat "$logs/tier2.log" "$logs/load.log"
elif [ -n "$CI" ]; then
  echo "PostgreSQL or Redis is not answering, and CI=true: failing."
  status=1
else
  echo "PostgreSQL or Redis is not answering: tier 2 skipped (it runs in CI)."
fi
rm -rf "$logs"
exit $status
