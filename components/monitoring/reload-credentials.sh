#!/usr/bin/env bash
# Restarts a Deployment when the Secret its pods read their credentials from has changed (SEC-8, MON-1).
#
# The postgres-exporter reads its login from environment variables at start. With alternating users, the login
# it started with stays valid until the rotation after the next one; External Secrets refreshes the Secret after
# each rotation. This job, run every hour by a CronJob whose role may read that one Secret and patch that one
# Deployment, compares a SHA-256 of the Secret's data with the one recorded on the Deployment's pod template and,
# when they differ, records the new one: Kubernetes then rolls the pods, which start with the current login.
# No secret value is printed; only whether a restart was made.
#
# Environment: NAMESPACE, SECRET, DEPLOYMENT, ANNOTATION. Exit codes: 0 done (restarted or unchanged); 2 a setting
# is missing; 3 the Secret could not be read or is empty; 4 the Deployment could not be read or patched.
set -euo pipefail

for name in NAMESPACE SECRET DEPLOYMENT ANNOTATION; do
    [[ -n ${!name:-} ]] || { echo "reload-credentials: environment variable $name is not set" >&2; exit 2; }
done

# Keys and values in key order (Go templates range over maps sorted by key), hashed here, never printed.
digest=$(kubectl -n "$NAMESPACE" get secret "$SECRET" -o 'go-template={{range $k, $v := .data}}{{$k}}={{$v}};{{end}}' | sha256sum | cut -d' ' -f1) ||
    { echo "reload-credentials: cannot read secret $NAMESPACE/$SECRET" >&2; exit 3; }
[[ $digest != "$(printf '' | sha256sum | cut -d' ' -f1)" ]] || { echo "reload-credentials: secret $NAMESPACE/$SECRET has no data" >&2; exit 3; }

applied=$(kubectl -n "$NAMESPACE" get deployment "$DEPLOYMENT" -o "go-template={{with .spec.template.metadata.annotations}}{{index . \"$ANNOTATION\"}}{{end}}") ||
    { echo "reload-credentials: cannot read deployment $NAMESPACE/$DEPLOYMENT" >&2; exit 4; }

if [[ $applied == "$digest" ]]; then
    echo "reload-credentials: $NAMESPACE/$DEPLOYMENT already runs with the current credentials"
    exit 0
fi
kubectl -n "$NAMESPACE" patch deployment "$DEPLOYMENT" --type merge \
    -p "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"$ANNOTATION\":\"$digest\"}}}}}" >/dev/null ||
    { echo "reload-credentials: cannot patch deployment $NAMESPACE/$DEPLOYMENT" >&2; exit 4; }
echo "reload-credentials: credentials of $NAMESPACE/$DEPLOYMENT changed; pods restarted"
