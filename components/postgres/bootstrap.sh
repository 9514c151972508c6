#!/usr/bin/env bash
# Bootstrap Job of the RDS PostgreSQL instance (DB-3, SEC-7): runs sql/bootstrap.sql as the RDS master user.
#
# The master secret never becomes a Kubernetes Secret: this script reads it from Secrets Manager at run time
# with the Job's own IAM role (EKS Pod Identity; the role may read that one secret only), keeps it in this
# process's memory, and hands the password to psql through its environment alone. TLS verifies the server:
# PGSSLMODE=verify-full against the RDS CA bundle (PGSSLROOTCERT), set by the Job.
#
# Environment (from the Job): MASTER_SECRET_ARN, BOOTSTRAP_SQL, PGHOST, PGPORT, PGDATABASE, PGSSLMODE,
# PGSSLROOTCERT. Exit codes: 0 done; 2 a setting is missing or TLS is not verify-full; 3 the secret could not be
# read or has no username/password; otherwise psql's (3 for an SQL error under ON_ERROR_STOP).
set -euo pipefail

fail() {
    local code=$1
    shift
    echo "postgres-bootstrap: $*" >&2
    exit "$code"
}

for name in MASTER_SECRET_ARN BOOTSTRAP_SQL PGHOST PGPORT PGDATABASE PGSSLMODE PGSSLROOTCERT; do
    [[ -n ${!name:-} ]] || fail 2 "environment variable $name is not set"
done
[[ $PGSSLMODE == verify-full ]] || fail 2 "PGSSLMODE must be verify-full, not $PGSSLMODE"
[[ -r $PGSSLROOTCERT ]] || fail 2 "the CA bundle $PGSSLROOTCERT is not readable"

# Prints the string value of a top-level key of a JSON object (the RDS master secret's shape:
# {"username": "...", "password": "..."}), with JSON escapes decoded; returns 1 when it is absent.
json_string_field() {
    local json=$1 key=$2 rest out="" c hex ch i
    local pattern="\"${key}\"[[:space:]]*:[[:space:]]*\""
    [[ $json =~ $pattern ]] || return 1
    rest=${json#*"${BASH_REMATCH[0]}"}
    for ((i = 0; i < ${#rest}; i++)); do
        c=${rest:i:1}
        if [[ $c == '"' ]]; then
            printf '%s' "$out"
            return 0
        fi
        if [[ $c != '\' ]]; then
            out+=$c
            continue
        fi
        i=$((i + 1))
        c=${rest:i:1}
        case $c in
            '"' | '\' | '/') out+=$c ;;
            b) out+=$'\b' ;;
            f) out+=$'\f' ;;
            n) out+=$'\n' ;;
            r) out+=$'\r' ;;
            t) out+=$'\t' ;;
            u)
                hex=${rest:i+1:4}
                [[ $hex =~ ^[0-9A-Fa-f]{4}$ ]] || return 1
                printf -v ch "\\u$hex"
                out+=$ch
                i=$((i + 4))
                ;;
            *) return 1 ;;
        esac
    done
    return 1
}

secret=$(aws secretsmanager get-secret-value --secret-id "$MASTER_SECRET_ARN" --query SecretString --output text) ||
    fail 3 "could not read the master secret from Secrets Manager"
user=$(json_string_field "$secret" username) || fail 3 "the master secret has no username"
password=$(json_string_field "$secret" password) || fail 3 "the master secret has no password"
unset secret

PGUSER=$user PGPASSWORD=$password exec psql -X -v ON_ERROR_STOP=1 -f "$BOOTSTRAP_SQL"
