#!/usr/bin/env bash
# BKP-2: daily logical backup of the application database.
#
# pg_dump --format=custom of $PGDATABASE, named <database>-<UTC yyyymmddThhmmssZ>.dump, plus a manifest
# (<same name>.manifest) holding the archive's SHA-256 and the exact row count and content checksum of
# every user table, computed inside the very snapshot pg_dump reads (an exported snapshot), so the
# restore check can verify a restore exactly even though the database keeps changing.
# The archive is read back completely (pg_restore) before it is uploaded to BACKUP_TARGET:
#   s3://bucket/prefix  -> aws s3 cp with SSE-KMS (BACKUP_KMS_KEY_ID optional: default is the bucket's key)
#   /a/local/directory  -> copied there, atomically renamed into place
# The session holding the exported snapshot stays idle in its transaction while pg_dump works: it switches
# the server's idle_in_transaction_session_timeout (10 minutes in prod) off for itself, or a longer dump
# would lose its snapshot ("invalid snapshot identifier").
# Connection: the libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE.
# Exit codes: 0 ok, 1 failure (any failing tool), 2 configuration error, 130/143 interrupted/terminated.
# See docs/database-jobs.md.
set -euo pipefail
umask 077

JOB=pg-dump
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ -z "${SQL_DIR:-}" ]]; then
  if [[ -d "$SCRIPT_DIR/sql" ]]; then SQL_DIR="$SCRIPT_DIR/sql"; else SQL_DIR="$SCRIPT_DIR"; fi
fi
STARTED_AT=$(date +%s)
STAGE=init
WORK_DIR=""
SNAP_PID=""

log() {
  local level=$1
  shift
  printf 'ts=%s level=%s job=%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$level" "$JOB" "$*"
}

config_error() {
  log error "status=failed stage=config msg=\"$*\""
  STAGE=reported
  exit 2
}

on_exit() {
  local rc=$?
  if [[ -n "$SNAP_PID" ]] && kill -0 "$SNAP_PID" 2>/dev/null; then
    kill "$SNAP_PID" 2>/dev/null || true
  fi
  if [[ -n "$WORK_DIR" ]]; then rm -rf -- "$WORK_DIR"; fi
  # a failing tool's own code (psql's 3, pg_dump's, aws's) is reported as the documented 1
  case $rc in 0 | 1 | 2 | 130 | 143) ;; *) rc=1 ;; esac
  if [[ $rc -ne 0 && "$STAGE" != reported ]]; then
    log error "status=failed stage=$STAGE exit_code=$rc duration_s=$(($(date +%s) - STARTED_AT))"
  fi
  exit "$rc"
}
trap on_exit EXIT
# a Job past its deadline gets SIGTERM: exit through the trap so cleanup still runs
trap 'exit 143' TERM
trap 'exit 130' INT

# --- configuration ----------------------------------------------------------------------------------
[[ -n "${PGDATABASE:-}" ]] || config_error "PGDATABASE (the database to back up) is not set"
[[ "$PGDATABASE" =~ ^[A-Za-z0-9_][A-Za-z0-9_-]*$ ]] || config_error "PGDATABASE must match [A-Za-z0-9_-]+ (it names the files)"
[[ -n "${BACKUP_TARGET:-}" ]] || config_error "BACKUP_TARGET (s3://bucket/prefix or a local directory) is not set"
TARGET=${BACKUP_TARGET%/}
if [[ "$TARGET" == s3://* ]]; then
  [[ "$TARGET" =~ ^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$ ]] || config_error "BACKUP_TARGET is not a valid s3://bucket/prefix URL"
  command -v aws >/dev/null || config_error "the aws CLI is required for an s3:// BACKUP_TARGET"
else
  [[ -d "$TARGET" && -w "$TARGET" ]] || config_error "BACKUP_TARGET directory $TARGET does not exist or is not writable"
fi
for tool in pg_dump pg_restore psql sha256sum; do
  command -v "$tool" >/dev/null || config_error "$tool is not on PATH"
done
MANIFEST_SQL="$SQL_DIR/table-manifest.sql"
[[ -r "$MANIFEST_SQL" ]] || config_error "cannot read $MANIFEST_SQL (set SQL_DIR)"
LOCK_WAIT_TIMEOUT=${PG_DUMP_LOCK_WAIT_TIMEOUT:-5min}
EXTRA_ARGS=()
if [[ -n "${PG_DUMP_EXTRA_ARGS:-}" ]]; then read -r -a EXTRA_ARGS <<<"$PG_DUMP_EXTRA_ARGS"; fi

export PGAPPNAME=${PGAPPNAME:-bookbuddy-pg-dump}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
NAME="$PGDATABASE-$STAMP"
WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pg-dump.XXXXXX")
DUMP_FILE="$WORK_DIR/$NAME.dump"
MANIFEST_FILE="$WORK_DIR/$NAME.manifest"
log info "msg=start database=$PGDATABASE host=${PGHOST:-local} target=$TARGET file=$NAME.dump"

# --- one snapshot for the dump and the manifest ----------------------------------------------------------
STAGE=snapshot
coproc SNAPSHOT { exec psql -X -q -A -t -v ON_ERROR_STOP=1 2>&1; }
SNAP_PID=$SNAPSHOT_PID
SNAPSHOT_IN=${SNAPSHOT[1]}
SNAPSHOT_OUT=${SNAPSHOT[0]}
printf '%s\n' "SET idle_in_transaction_session_timeout = 0;" "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;" \
  "SELECT pg_catalog.pg_export_snapshot();" >&"$SNAPSHOT_IN"
SNAPSHOT_ID=""
IFS= read -r -t 60 SNAPSHOT_ID <&"$SNAPSHOT_OUT" || true
if [[ ! "$SNAPSHOT_ID" =~ ^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$ ]]; then
  log error "msg=\"could not export a snapshot\" detail=\"${SNAPSHOT_ID//\"/\'}\""
  exit 1
fi
log info "msg=snapshot snapshot=$SNAPSHOT_ID"

STAGE=dump
pg_dump --format=custom --compress=6 --snapshot="$SNAPSHOT_ID" --lock-wait-timeout="$LOCK_WAIT_TIMEOUT" \
  --file="$DUMP_FILE" "${EXTRA_ARGS[@]}" "$PGDATABASE"

STAGE=manifest
{
  printf "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;\nSET TRANSACTION SNAPSHOT '%s';\n" "$SNAPSHOT_ID"
  cat "$MANIFEST_SQL"
  printf 'COMMIT;\n'
} | psql -X -q -A -t -v ON_ERROR_STOP=1 >"$WORK_DIR/tables"

printf 'COMMIT;\n\\q\n' >&"$SNAPSHOT_IN"
wait "$SNAP_PID" || true
SNAP_PID=""

# --- verify the archive before it leaves the pod ----------------------------------------------------------
STAGE=verify
pg_restore --list "$DUMP_FILE" >"$WORK_DIR/toc"
TOC_ENTRIES=$(grep -c -v '^;' "$WORK_DIR/toc" || true)
# --list reads only the table of contents; a full read decompresses every data block and so catches a
# truncated or damaged archive.
pg_restore --file=/dev/null "$DUMP_FILE"
BYTES=$(stat -c %s "$DUMP_FILE")
SHA256=$(sha256sum "$DUMP_FILE" | cut -d' ' -f1)
TABLES=$(grep -c . "$WORK_DIR/tables" || true)
ROWS=$(awk -F'|' '{ s += $2 } END { print s + 0 }' "$WORK_DIR/tables")
{
  printf '# bookbuddy pg-dump manifest v1\n'
  printf '# archive=%s.dump sha256=%s bytes=%s database=%s snapshot=%s\n' "$NAME" "$SHA256" "$BYTES" "$PGDATABASE" "$SNAPSHOT_ID"
  cat "$WORK_DIR/tables"
} >"$MANIFEST_FILE"
log info "msg=verified toc_entries=$TOC_ENTRIES tables=$TABLES rows=$ROWS bytes=$BYTES sha256=$SHA256"

# --- upload: the manifest first, so a visible dump always has its manifest -----------------------------------
STAGE=upload
if [[ "$TARGET" == s3://* ]]; then
  SSE_ARGS=(--sse aws:kms)
  if [[ -n "${BACKUP_KMS_KEY_ID:-}" ]]; then SSE_ARGS+=(--sse-kms-key-id "$BACKUP_KMS_KEY_ID"); fi
  aws s3 cp --only-show-errors "${SSE_ARGS[@]}" "$MANIFEST_FILE" "$TARGET/$NAME.manifest"
  aws s3 cp --only-show-errors "${SSE_ARGS[@]}" "$DUMP_FILE" "$TARGET/$NAME.dump"
else
  cp -- "$MANIFEST_FILE" "$TARGET/.$NAME.manifest.partial"
  mv -- "$TARGET/.$NAME.manifest.partial" "$TARGET/$NAME.manifest"
  cp -- "$DUMP_FILE" "$TARGET/.$NAME.dump.partial"
  mv -- "$TARGET/.$NAME.dump.partial" "$TARGET/$NAME.dump"
fi

STAGE=reported
log info "status=ok bytes=$BYTES file=$NAME.dump tables=$TABLES rows=$ROWS target=$TARGET duration_s=$(($(date +%s) - STARTED_AT))"
