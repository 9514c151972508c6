#!/usr/bin/env bash
# MNT-1: runs one database maintenance task against $PGDATABASE and logs structured start/end lines.
#
#   maintenance.sh vacuum-analyze | analyze | reindex | slow-query-report
#
# Each task is the file sql/<task>.sql, run by psql in autocommit mode with ON_ERROR_STOP (VACUUM and
# REINDEX CONCURRENTLY cannot run inside a transaction block). Connection: the libpq variables PGHOST,
# PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE. SLOW_QUERY_LIMIT (default 20) sets the report length,
# MAINTENANCE_OUTPUT=csv prints the report as CSV instead of a table.
# Exit codes: 0 ok, 1 the task failed, 2 usage or configuration error. See docs/database-jobs.md.
set -euo pipefail

JOB=maintenance
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ -z "${SQL_DIR:-}" ]]; then
  if [[ -d "$SCRIPT_DIR/sql" ]]; then SQL_DIR="$SCRIPT_DIR/sql"; else SQL_DIR="$SCRIPT_DIR"; fi
fi
TASK=${1:-}

log() {
  local level=$1
  shift
  printf 'ts=%s level=%s job=%s task=%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$level" "$JOB" "${TASK:-none}" "$*"
}

usage_error() {
  log error "status=failed exit_code=2 msg=\"$*\""
  exit 2
}

case "$TASK" in
  vacuum-analyze | analyze | reindex | slow-query-report) ;;
  *) usage_error "usage: maintenance.sh vacuum-analyze|analyze|reindex|slow-query-report" ;;
esac
[[ $# -eq 1 ]] || usage_error "exactly one task name is expected"
[[ -n "${PGDATABASE:-}" ]] || usage_error "PGDATABASE is not set"
command -v psql >/dev/null || usage_error "psql is not on PATH"
SQL_FILE="$SQL_DIR/$TASK.sql"
[[ -r "$SQL_FILE" ]] || usage_error "cannot read $SQL_FILE (set SQL_DIR)"

PSQL_ARGS=(-X -v ON_ERROR_STOP=1 -P pager=off -f "$SQL_FILE")
if [[ "$TASK" == slow-query-report ]]; then
  LIMIT=${SLOW_QUERY_LIMIT:-20}
  [[ "$LIMIT" =~ ^[1-9][0-9]{0,3}$ ]] || usage_error "SLOW_QUERY_LIMIT must be a whole number from 1 to 9999"
  PSQL_ARGS+=(-v "limit=$LIMIT")
  case "${MAINTENANCE_OUTPUT:-table}" in
    table) ;;
    csv) PSQL_ARGS+=(--csv) ;;
    *) usage_error "MAINTENANCE_OUTPUT must be table or csv" ;;
  esac
fi
export PGAPPNAME=${PGAPPNAME:-bookbuddy-maintenance-$TASK}

log info "msg=start database=$PGDATABASE host=${PGHOST:-local}"
started_ms=$(date +%s%3N)
rc=0
psql "${PSQL_ARGS[@]}" || rc=$?
duration_ms=$(($(date +%s%3N) - started_ms))
if [[ $rc -ne 0 ]]; then
  log error "status=failed psql_exit_code=$rc exit_code=1 duration_ms=$duration_ms"
  exit 1
fi
log info "status=ok duration_ms=$duration_ms"
