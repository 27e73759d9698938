#!/usr/bin/env bash
# Known vulnerabilities in the installed dependencies: scripts/audit.py says how.
#   exit 0  audited, none vulnerable (or not audited, and WELLBEING_AUDIT is not required)
#   exit 1  a known vulnerability (always), or NOT AUDITED with WELLBEING_AUDIT=required
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PIP_AUDIT="$VENV/bin/pip-audit" exec "$VENV/bin/python" scripts/audit.py
