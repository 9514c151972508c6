#!/bin/sh
# Registers the log lifecycle, the snapshot repository and the daily snapshot policy in Elasticsearch (LOG-1).
# Idempotent: every call is a PUT of the whole object, so a rerun converges on the bodies in /bodies.
# Environment: ES_URL (https://<cluster>-es-http.<namespace>.svc:9200), ELASTIC_PASSWORD, optional CA_FILE.
set -eu

: "${ES_URL:?ES_URL is required}"
: "${ELASTIC_PASSWORD:?ELASTIC_PASSWORD is required}"
BODIES="${BODIES:-/bodies}"
CA_FILE="${CA_FILE:-/certs/ca.crt}"
ATTEMPTS="${ATTEMPTS:-60}"

es() {
    # $1 method, $2 path, $3 optional body file
    if [ -n "${3:-}" ]; then
        curl --silent --show-error --fail-with-body --cacert "$CA_FILE" --user "elastic:${ELASTIC_PASSWORD}" \
            --header 'Content-Type: application/json' --request "$1" "${ES_URL}/$2" --data-binary "@$3"
    else
        curl --silent --show-error --fail-with-body --cacert "$CA_FILE" --user "elastic:${ELASTIC_PASSWORD}" --request "$1" "${ES_URL}/$2"
    fi
    echo
}

# Wait until the cluster answers and has at least a yellow status.
i=0
until es GET '_cluster/health?wait_for_status=yellow&timeout=30s' >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -ge "$ATTEMPTS" ]; then
        echo "Elasticsearch at ${ES_URL} did not become ready" >&2
        exit 1
    fi
    sleep 5
done

es PUT '_ilm/policy/bookbuddy-logs' "${BODIES}/ilm-policy.json"
es PUT '_component_template/logs@custom' "${BODIES}/logs-custom.json"
es PUT '_snapshot/s3-archive' "${BODIES}/repository.json"
es POST '_snapshot/s3-archive/_verify'
es PUT '_slm/policy/daily-snapshots' "${BODIES}/slm-policy.json"
