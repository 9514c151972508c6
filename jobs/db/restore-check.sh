#!/usr/bin/env bash
# BKP-2: daily restore check of the logical backups written by pg-dump.sh, on a throw-away server.
#
# Finds the newest <database>-<UTC stamp>.dump in BACKUP_TARGET (s3://bucket/prefix or a local directory),
# checks its age and its SHA-256 against its manifest, then starts a PostgreSQL server of its own inside the
# job's scratch volume (initdb + pg_ctl from PATH, unix socket only, no TCP, gone with the pod) and restores
# the archive there completely as the non-superuser role `restore_check`, owner of the target database.
# The production server is never touched: no connection, no CREATEDB, no copy of personal data in it.
#
# Extensions are not restorable by a non-superuser (pg_stat_statements is untrusted): the throw-away
# server's bootstrap superuser creates each extension the archive names in the target database first, and
# pg_restore gets a list of the archive's entries without the EXTENSION entries and their COMMENTs, so
# --exit-on-error stops at real errors only.
#
# Then it compares every user table of the restore (set of tables, exact row counts, content checksums;
# sql/table-manifest.sql) with the manifest pg-dump.sh computed inside the dump's own snapshot, checks that
# every sequence is ahead of the values its column holds (sql/sequence-check.sql), and fails on an empty
# restore (no table or no row at all).
#
# Why the manifest and not the live source: the source keeps changing after the dump, so comparing a
# restore with the live database would fail on every busy day. The manifest is the source database as
# it was at the dump's snapshot, so the comparison is exact and any difference is a real defect.
#
# Environment: BACKUP_TARGET, PGDATABASE (the source database's name, which names the dumps; no connection
# is made to it), RESTORE_CHECK_MAX_AGE_HOURS (default 26, 0 disables), RESTORE_CHECK_JOBS (default 1).
# Exit codes: 0 ok, 1 error (download, server start, restore, tools), 2 configuration, 3 verification
# mismatch (checksum, table data, sequences, empty restore), 4 no dump or the newest dump is too old. The
# last line is always `job=restore-check status=ok|failed ...`. See docs/database-jobs.md.
set -euo pipefail
umask 077

JOB=restore-check
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ -z "${SQL_DIR:-}" ]]; then
  if [[ -d "$SCRIPT_DIR/sql" ]]; then SQL_DIR="$SCRIPT_DIR/sql"; else SQL_DIR="$SCRIPT_DIR"; fi
fi
STARTED_AT=$(date +%s)
STAGE=init
REASON=error
WORK_DIR=""
SERVER_DIR=""
DUMP_NAME=""
CHILD_PID=""

log() {
  local level=$1
  shift
  printf 'ts=%s level=%s job=%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$level" "$JOB" "$*"
}

# Ends the job with a failed status line; $1 exit code, $2 reason keyword, $3 message.
fail() {
  REASON=$2
  log error "msg=\"$3\""
  exit "$1"
}

# The throw-away server: stopped at once (immediate: nothing in it needs to survive) and removed.
stop_server() {
  # by the server's pid file, not a flag: a SIGTERM while pg_ctl start waits must not leave a server running
  if [[ -n "$SERVER_DIR" && -f "$SERVER_DIR/data/postmaster.pid" ]]; then
    if pg_ctl stop -D "$SERVER_DIR/data" -m immediate -w -t 60 >/dev/null 2>&1; then
      log info "msg=\"throw-away server stopped\""
    else
      log error "msg=\"could not stop the throw-away server\""
      return 1
    fi
  fi
}

on_exit() {
  local rc=$?
  # an unexpected failure (set -e) keeps its stage but reports the documented generic exit code
  if [[ $rc -ne 0 && "$REASON" == error ]]; then rc=1; fi
  if [[ -n "$CHILD_PID" ]] && kill -0 "$CHILD_PID" 2>/dev/null; then
    kill "$CHILD_PID" 2>/dev/null || true
    wait "$CHILD_PID" 2>/dev/null || true
  fi
  stop_server || { [[ $rc -ne 0 ]] || rc=1; REASON=stop_failed; }
  if [[ -n "$WORK_DIR" ]]; then rm -rf -- "$WORK_DIR"; fi
  local duration
  duration=$(($(date +%s) - STARTED_AT))
  if [[ $rc -eq 0 ]]; then
    log info "status=ok dump=$DUMP_NAME tables=${TABLES:-0} rows=${ROWS:-0} sequences=${SEQUENCES:-0} age_hours=${AGE_HOURS:-0} duration_s=$duration"
  else
    log error "status=failed reason=$REASON stage=$STAGE dump=${DUMP_NAME:-none} exit_code=$rc duration_s=$duration"
  fi
  exit "$rc"
}
trap on_exit EXIT
# a Job past its deadline gets SIGTERM: exit through the trap so cleanup still runs
trap 'REASON=terminated; exit 143' TERM
trap 'REASON=terminated; exit 130' INT

# --- configuration ------------------------------------------------------------------------------------
[[ -n "${PGDATABASE:-}" ]] || fail 2 config "PGDATABASE (the source database) is not set"
[[ "$PGDATABASE" =~ ^[A-Za-z0-9_][A-Za-z0-9_-]*$ ]] || fail 2 config "PGDATABASE must match [A-Za-z0-9_-]+"
[[ -n "${BACKUP_TARGET:-}" ]] || fail 2 config "BACKUP_TARGET (s3://bucket/prefix or a local directory) is not set"
TARGET=${BACKUP_TARGET%/}
if [[ "$TARGET" == s3://* ]]; then
  command -v aws >/dev/null || fail 2 config "the aws CLI is required for an s3:// BACKUP_TARGET"
else
  [[ -d "$TARGET" && -r "$TARGET" ]] || fail 2 config "BACKUP_TARGET directory $TARGET does not exist or is not readable"
fi
MAX_AGE_HOURS=${RESTORE_CHECK_MAX_AGE_HOURS:-26}
[[ "$MAX_AGE_HOURS" =~ ^[0-9]+$ ]] || fail 2 config "RESTORE_CHECK_MAX_AGE_HOURS must be a whole number of hours (0 disables the check)"
RESTORE_JOBS=${RESTORE_CHECK_JOBS:-1}
[[ "$RESTORE_JOBS" =~ ^[1-9][0-9]*$ ]] || fail 2 config "RESTORE_CHECK_JOBS must be a positive whole number"
for tool in pg_restore psql initdb pg_ctl postgres sha256sum; do
  command -v "$tool" >/dev/null || fail 2 config "$tool is not on PATH (the job image carries the PostgreSQL server programs)"
done
[[ $(id -u) -ne 0 ]] || fail 2 config "the restore check runs as a non-root user (initdb refuses root)"
for file in table-manifest.sql sequence-check.sql; do
  [[ -r "$SQL_DIR/$file" ]] || fail 2 config "cannot read $SQL_DIR/$file (set SQL_DIR)"
done
export PGAPPNAME=${PGAPPNAME:-bookbuddy-restore-check}
WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/restore-check.XXXXXX")

# --- find and fetch the newest dump ------------------------------------------------------------------------
STAGE=find
if [[ "$TARGET" == s3://* ]]; then
  aws s3 ls "$TARGET/" | awk '{ print $4 }' >"$WORK_DIR/listing"
else
  find "$TARGET" -mindepth 1 -maxdepth 1 -type f -printf '%f\n' >"$WORK_DIR/listing"
fi
DUMP_NAME=$(grep -E "^${PGDATABASE}-[0-9]{8}T[0-9]{6}Z\.dump\$" "$WORK_DIR/listing" | sort | tail -n 1 || true)
[[ -n "$DUMP_NAME" ]] || fail 4 no_backup "no $PGDATABASE-*.dump found in $TARGET"
STEM=${DUMP_NAME%.dump}
STAMP=${STEM#"$PGDATABASE"-}
DUMP_EPOCH=$(date -u -d "${STAMP:0:4}-${STAMP:4:2}-${STAMP:6:2} ${STAMP:9:2}:${STAMP:11:2}:${STAMP:13:2}" +%s)
AGE_HOURS=$((($(date +%s) - DUMP_EPOCH) / 3600))
log info "msg=start source=$PGDATABASE dump=$DUMP_NAME age_hours=$AGE_HOURS"
if [[ $MAX_AGE_HOURS -gt 0 && $AGE_HOURS -ge $MAX_AGE_HOURS ]]; then
  fail 4 stale_backup "newest dump is $AGE_HOURS hours old (limit $MAX_AGE_HOURS)"
fi

STAGE=download
if [[ "$TARGET" == s3://* ]]; then
  aws s3 cp --only-show-errors "$TARGET/$STEM.manifest" "$WORK_DIR/$STEM.manifest" \
    || fail 3 manifest_missing "cannot fetch $STEM.manifest"
  aws s3 cp --only-show-errors "$TARGET/$DUMP_NAME" "$WORK_DIR/$DUMP_NAME"
else
  [[ -r "$TARGET/$STEM.manifest" ]] || fail 3 manifest_missing "no manifest $STEM.manifest beside the dump"
  cp -- "$TARGET/$STEM.manifest" "$WORK_DIR/$STEM.manifest"
  cp -- "$TARGET/$DUMP_NAME" "$WORK_DIR/$DUMP_NAME"
fi
DUMP_FILE="$WORK_DIR/$DUMP_NAME"
MANIFEST_FILE="$WORK_DIR/$STEM.manifest"

# --- integrity of the archive ---------------------------------------------------------------------------------
STAGE=checksum
EXPECTED_SHA=$(sed -n 's/^# archive=.* sha256=\([0-9a-f]\{64\}\) .*$/\1/p' "$MANIFEST_FILE" | head -n 1)
[[ -n "$EXPECTED_SHA" ]] || fail 3 manifest_invalid "manifest $STEM.manifest has no archive checksum"
ACTUAL_SHA=$(sha256sum "$DUMP_FILE" | cut -d' ' -f1)
if [[ "$ACTUAL_SHA" != "$EXPECTED_SHA" ]]; then
  fail 3 checksum_mismatch "archive sha256 $ACTUAL_SHA differs from the manifest's $EXPECTED_SHA (corrupted or truncated)"
fi
STAGE=toc
pg_restore --list "$DUMP_FILE" >/dev/null || fail 1 unreadable_archive "pg_restore cannot read the archive's table of contents"

# --- a throw-away server in the scratch volume --------------------------------------------------------------------
STAGE=server
SERVER_DIR="$WORK_DIR/server"
mkdir -p "$SERVER_DIR/socket"
# No TCP listener, no libpq settings of the environment: everything below talks to this server's socket.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGPASSWORD PGPASSFILE PGSERVICE PGOPTIONS PGSSLMODE PGSSLROOTCERT PGTARGETSESSIONATTRS
initdb -D "$SERVER_DIR/data" -U scratch_admin --auth=trust --encoding=UTF8 --no-locale --no-sync >"$SERVER_DIR/initdb.log" 2>&1 \
  || fail 1 server_failed "initdb of the throw-away server failed: $(tail -n 1 "$SERVER_DIR/initdb.log")"
{
  printf "listen_addresses = ''\n"
  printf "unix_socket_directories = '%s'\n" "$SERVER_DIR/socket"
  printf "max_connections = %s\n" "$((RESTORE_JOBS + 5))"
  printf "shared_buffers = '64MB'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
  printf "timezone = 'UTC'\nlog_min_messages = warning\n"
} >>"$SERVER_DIR/data/postgresql.conf"
pg_ctl start -D "$SERVER_DIR/data" -l "$SERVER_DIR/server.log" -w -t 60 >/dev/null \
  || fail 1 server_failed "the throw-away server did not start: $(tail -n 1 "$SERVER_DIR/server.log")"
export PGHOST="$SERVER_DIR/socket" PGPORT=5432
admin() { psql -X -q -A -t -v ON_ERROR_STOP=1 -U scratch_admin "$@"; }
# The archive's database and a non-superuser owner of it: the restore runs as that role.
admin -d postgres -c "CREATE ROLE restore_check LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" \
  -c "CREATE DATABASE restore_target OWNER restore_check TEMPLATE template0 ENCODING 'UTF8'" >/dev/null
log info "msg=\"throw-away server started\" restore_role=restore_check"

# --- restore, completely, as restore_check -----------------------------------------------------------------------
STAGE=restore
pg_restore --list "$DUMP_FILE" >"$WORK_DIR/toc"
# TOC lines: "<id>; <oid> <oid> EXTENSION - <name> <owner>" and "... COMMENT - EXTENSION <name> ..."
awk '$4 == "EXTENSION" && $5 == "-" { print $6 }' "$WORK_DIR/toc" | sort -u >"$WORK_DIR/extensions"
while IFS= read -r extension; do
  [[ "$extension" =~ ^[a-z0-9_]+$ ]] || fail 1 restore_failed "unexpected extension name in the archive"
  admin -d restore_target -c "CREATE EXTENSION IF NOT EXISTS \"$extension\"" >/dev/null \
    || fail 1 restore_failed "extension $extension of the archive is not available on the throw-away server"
done <"$WORK_DIR/extensions"
awk '!($4 == "EXTENSION" && $5 == "-") && !($4 == "COMMENT" && $5 == "-" && $6 == "EXTENSION")' "$WORK_DIR/toc" >"$WORK_DIR/use-list"
# in the background so a SIGTERM is handled at once (bash defers traps while a foreground child runs)
pg_restore --username=restore_check --dbname=restore_target --no-owner --no-privileges --exit-on-error \
  --jobs="$RESTORE_JOBS" --use-list="$WORK_DIR/use-list" "$DUMP_FILE" 2>"$WORK_DIR/restore.err" &
CHILD_PID=$!
if ! wait "$CHILD_PID"; then
  CHILD_PID=""
  fail 1 restore_failed "pg_restore failed: $(grep -m 1 -E 'error|ERROR' "$WORK_DIR/restore.err" | tr '"' "'" | cut -c1-300)"
fi
CHILD_PID=""

# --- verification against the dump-time manifest ------------------------------------------------------------------
STAGE=verify
{ grep -v '^#' "$MANIFEST_FILE" || true; } | sed '/^$/d' >"$WORK_DIR/expected"
psql -X -q -A -t -v ON_ERROR_STOP=1 -U restore_check -d restore_target -f "$SQL_DIR/table-manifest.sql" >"$WORK_DIR/restored" \
  || fail 1 verify_failed "could not compute the manifest of the restored database"
TABLES=$(grep -c . "$WORK_DIR/restored" || true)
ROWS=$(awk -F'|' '{ s += $2 } END { print s + 0 }' "$WORK_DIR/restored")
if ! cmp -s "$WORK_DIR/expected" "$WORK_DIR/restored"; then
  awk -F'|' '
    NR == FNR { want[$1] = $2 "|" $3; next }
    { got[$1] = $2 "|" $3 }
    END {
      for (t in want) {
        if (!(t in got)) { print "table=" t " problem=missing_in_restore"; continue }
        if (want[t] != got[t]) {
          split(want[t], w, "|"); split(got[t], g, "|")
          print "table=" t " problem=" (w[1] != g[1] ? "row_count" : "checksum") " expected_rows=" w[1] " restored_rows=" g[1]
        }
      }
      for (t in got) if (!(t in want)) print "table=" t " problem=unexpected_in_restore"
    }' "$WORK_DIR/expected" "$WORK_DIR/restored" | sort | while IFS= read -r line; do
    log error "msg=mismatch $line"
  done
  fail 3 mismatch "restored data differs from the source database at the dump's snapshot"
fi
if [[ ${TABLES:-0} -eq 0 || ${ROWS:-0} -eq 0 ]]; then
  fail 3 empty_restore "the restore holds $TABLES tables and $ROWS rows: an empty backup is no backup"
fi
psql -X -q -A -t -v ON_ERROR_STOP=1 -U restore_check -d restore_target -f "$SQL_DIR/sequence-check.sql" >"$WORK_DIR/sequences" \
  || fail 1 verify_failed "could not check the sequences of the restored database"
SEQUENCES=$(grep -c '|ok$' "$WORK_DIR/sequences" || true)
if grep -v '|ok$' "$WORK_DIR/sequences" | grep -q .; then
  grep -v '|ok$' "$WORK_DIR/sequences" | while IFS='|' read -r sequence problem; do
    log error "msg=mismatch sequence=$sequence problem=$problem"
  done
  fail 3 sequence_mismatch "restored sequences are behind the values of their columns"
fi
log info "msg=verified tables=$TABLES rows=$ROWS sequences=$SEQUENCES"
STAGE=cleanup
