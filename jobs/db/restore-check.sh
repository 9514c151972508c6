#!/usr/bin/env bash
# BKP-2: daily restore check of the logical backups written by pg-dump.sh.
#
# Finds the newest <database>-<UTC stamp>.dump in BACKUP_TARGET (s3://bucket/prefix or a local directory),
# checks its age and its SHA-256 against its manifest, restores it with pg_restore into a scratch
# database, and compares every user table of the restore (set of tables, exact row counts, content
# checksums; sql/table-manifest.sql) with the manifest that pg-dump.sh computed inside the dump's own
# snapshot of the source database. The scratch database is dropped in every case.
#
# Why the manifest and not the live source: the source keeps changing after the dump, so comparing a
# restore with the live database would fail on every busy day. The manifest is the source database as
# it was at the dump's snapshot, so the comparison is exact and any difference is a real defect.
#
# Exit codes: 0 ok, 1 error (download, restore, tools), 2 configuration, 3 verification mismatch
# (checksum or table data), 4 no dump or the newest dump is too old. The last line is always
# `job=restore-check status=ok|failed ...`. See docs/database-jobs.md.
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
SCRATCH=""
SCRATCH_CREATED=0
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

drop_scratch() {
  if [[ $SCRATCH_CREATED -eq 1 ]]; then
    if psql -X -q -v ON_ERROR_STOP=1 -v scratch="$SCRATCH" -d "$PGDATABASE" -f "$SQL_DIR/scratch-drop.sql"; then
      log info "msg=\"scratch database dropped\" scratch=$SCRATCH"
      SCRATCH_CREATED=0
    else
      log error "msg=\"could not drop the scratch database\" scratch=$SCRATCH"
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
  drop_scratch || { [[ $rc -ne 0 ]] || rc=1; REASON=drop_failed; }
  if [[ -n "$WORK_DIR" ]]; then rm -rf -- "$WORK_DIR"; fi
  local duration
  duration=$(($(date +%s) - STARTED_AT))
  if [[ $rc -eq 0 ]]; then
    log info "status=ok dump=$DUMP_NAME tables=${TABLES:-0} rows=${ROWS:-0} age_hours=${AGE_HOURS:-0} duration_s=$duration"
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
SCRATCH=${RESTORE_CHECK_DATABASE:-restore_check_$(date -u +%Y%m%d%H%M%S)}
[[ "$SCRATCH" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || fail 2 config "RESTORE_CHECK_DATABASE must be a lower-case identifier of at most 63 characters"
[[ "$SCRATCH" != "$PGDATABASE" ]] || fail 2 config "RESTORE_CHECK_DATABASE must differ from PGDATABASE"
MAX_AGE_HOURS=${RESTORE_CHECK_MAX_AGE_HOURS:-26}
[[ "$MAX_AGE_HOURS" =~ ^[0-9]+$ ]] || fail 2 config "RESTORE_CHECK_MAX_AGE_HOURS must be a whole number of hours (0 disables the check)"
RESTORE_JOBS=${RESTORE_CHECK_JOBS:-1}
[[ "$RESTORE_JOBS" =~ ^[1-9][0-9]*$ ]] || fail 2 config "RESTORE_CHECK_JOBS must be a positive whole number"
for tool in pg_restore psql sha256sum; do
  command -v "$tool" >/dev/null || fail 2 config "$tool is not on PATH"
done
for file in table-manifest.sql scratch-create.sql scratch-drop.sql; do
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
log info "msg=start source=$PGDATABASE dump=$DUMP_NAME age_hours=$AGE_HOURS scratch=$SCRATCH"
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

# --- restore into the scratch database ----------------------------------------------------------------------------
STAGE=create
psql -X -q -v ON_ERROR_STOP=1 -v scratch="$SCRATCH" -d "$PGDATABASE" -f "$SQL_DIR/scratch-create.sql" \
  || fail 1 create_failed "could not create the scratch database $SCRATCH"
SCRATCH_CREATED=1
STAGE=restore
# in the background so a SIGTERM is handled at once (bash defers traps while a foreground child runs)
pg_restore --dbname="$SCRATCH" --no-owner --no-privileges --exit-on-error --jobs="$RESTORE_JOBS" "$DUMP_FILE" &
CHILD_PID=$!
wait "$CHILD_PID" || fail 1 restore_failed "pg_restore into $SCRATCH failed"
CHILD_PID=""

# --- verification against the dump-time manifest ------------------------------------------------------------------
STAGE=verify
grep -v '^#' "$MANIFEST_FILE" | sed '/^$/d' >"$WORK_DIR/expected"
psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$SCRATCH" -f "$SQL_DIR/table-manifest.sql" >"$WORK_DIR/restored" \
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
log info "msg=verified tables=$TABLES rows=$ROWS"
STAGE=cleanup
