/**
 * The postgres-exporter's restart after a rotation (SEC-8, MON-1), exercised: the CronJob's script
 * (components/monitoring/reload-credentials.sh, the ConfigMap's content) runs with the CronJob's rendered
 * environment against a stateful stand-in of kubectl that keeps the Secret's data and the Deployment's pod-template
 * annotations, accepts only the calls the CronJob's Role allows (get that Secret, get/patch that Deployment) and
 * renders go-templates the way kubectl does for these two (map keys in order). A change of credentials restarts
 * the Deployment once; an unchanged Secret restarts nothing; no secret value is ever printed.
 */
import { strict as assert } from "assert";
import { createHash } from "crypto";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RELOAD_SCRIPT_PATH } from "../../components/monitoring/credential-reload";
import { ofType, renderedStack } from "../support/plan";

/** A kubectl stand-in: state in files, only the Role's verbs on the Role's resource names. */
const FAKE_KUBECTL = String.raw`#!/usr/bin/env bash
set -euo pipefail
state=$KUBE_STATE
echo "$*" >> "$state/calls"
[[ $1 == -n ]] || { echo "no namespace" >&2; exit 1; }
ns=$2; verb=$3; kind=$4; name=$5
[[ $ns == "$ALLOWED_NS" ]] || { echo "Error from server (Forbidden): namespace $ns" >&2; exit 1; }
case "$verb $kind $name" in
  "get secret $ALLOWED_SECRET")
    [[ -f $state/secret ]] || { echo "Error from server (NotFound)" >&2; exit 1; }
    # go-template range over .data: keys in order, values base64 as stored.
    sort "$state/secret" | while IFS='=' read -r k v; do printf '%s=%s;' "$k" "$(printf '%s' "$v" | base64 -w0)"; done ;;
  "get deployment $ALLOWED_DEPLOYMENT")
    key=$(sed -n 's/.*index \. "\([^"]*\)".*/\1/p' <<<"$7")
    if [[ -f $state/annotation && $(cut -d' ' -f1 "$state/annotation") == "$key" ]]; then cut -d' ' -f2 "$state/annotation"; fi ;;
  "patch deployment $ALLOWED_DEPLOYMENT")
    body=$9
    key=$(sed -n 's/.*"annotations":{"\([^"]*\)":"\([^"]*\)".*/\1/p' <<<"$body")
    value=$(sed -n 's/.*"annotations":{"\([^"]*\)":"\([^"]*\)".*/\2/p' <<<"$body")
    echo "$key $value" > "$state/annotation"
    echo $(( $(cat "$state/restarts" 2>/dev/null || echo 0) + 1 )) > "$state/restarts" ;;
  *) echo "Error from server (Forbidden): $verb $kind $name" >&2; exit 1 ;;
esac
`;

describe("SEC-8, MON-1: the postgres-exporter restarts when its credentials change (script exercised)", function () {
    this.timeout(120_000);
    let dir: string;
    let env: Record<string, string>;
    const state = () => path.join(dir, "state");

    before(async () => {
        const doc = await renderedStack("prod");
        const cron = ofType(doc, "kubernetes:batch/v1:CronJob").find(
            (c) => (c.inputs as any).metadata.name === "postgres-exporter-reload",
        );
        assert.ok(cron, "the rendered reload CronJob");
        const container = (cron.inputs as any).spec.jobTemplate.spec.template.spec.containers[0];
        env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
        const role = ofType(doc, "kubernetes:rbac.authorization.k8s.io/v1:Role").find(
            (r) => (r.inputs as any).metadata.name === "postgres-exporter-reload",
        )!;
        const rules = (role.inputs as any).rules;
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-reload-"));
        fs.mkdirSync(path.join(dir, "bin"));
        fs.mkdirSync(state());
        fs.writeFileSync(path.join(dir, "bin", "kubectl"), FAKE_KUBECTL, { mode: 0o755 });
        // The stand-in allows exactly what the rendered Role allows.
        env.ALLOWED_NS = String((role.inputs as any).metadata.namespace);
        env.ALLOWED_SECRET = rules.find((r: any) => r.resources[0] === "secrets").resourceNames[0];
        env.ALLOWED_DEPLOYMENT = rules.find((r: any) => r.resources[0] === "deployments").resourceNames[0];
        assert.equal(env.ALLOWED_SECRET, env.SECRET);
        assert.equal(env.ALLOWED_DEPLOYMENT, env.DEPLOYMENT);
    });
    after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    const run = (overrides: Record<string, string> = {}) =>
        spawnSync("bash", [RELOAD_SCRIPT_PATH], {
            env: { PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, KUBE_STATE: state(), ...env, ...overrides },
            encoding: "utf8",
        });
    const setSecret = (username: string, password: string) =>
        fs.writeFileSync(path.join(state(), "secret"), `username=${username}\npassword=${password}\n`);
    const restarts = () =>
        Number(fs.existsSync(path.join(state(), "restarts")) ? fs.readFileSync(path.join(state(), "restarts"), "utf8") : 0);
    const pw = () => createHash("sha256").update(String(Math.random())).digest("hex").slice(0, 24);

    it("restarts once after each change of the credentials, and never for an unchanged Secret", () => {
        const first = pw();
        setSecret("bookbuddy_readonly_a", first);
        let r = run();
        assert.equal(r.status, 0, r.stderr);
        assert.equal(restarts(), 1, "the first run records the credentials the pods start with");
        const [key, digest] = fs.readFileSync(path.join(state(), "annotation"), "utf8").trim().split(" ");
        assert.equal(key, "bookbuddy.io/credentials-sha256");
        assert.match(digest, /^[0-9a-f]{64}$/);
        r = run();
        assert.equal(r.status, 0, r.stderr);
        assert.equal(restarts(), 1, "unchanged credentials restart nothing");
        assert.match(r.stdout, /already runs with the current credentials/);

        // A rotation: External Secrets now gives the other login of the alternating pair.
        const second = pw();
        setSecret("bookbuddy_readonly_b", second);
        r = run();
        assert.equal(r.status, 0, r.stderr);
        assert.equal(restarts(), 2);
        assert.match(r.stdout, /changed; pods restarted/);
        assert.notEqual(fs.readFileSync(path.join(state(), "annotation"), "utf8").trim().split(" ")[1], digest);
        for (const out of [r.stdout, r.stderr, fs.readFileSync(path.join(state(), "calls"), "utf8")]) {
            for (const secret of [first, second, Buffer.from(second).toString("base64")])
                assert.ok(!out.includes(secret), "no secret value printed or sent");
        }
    });

    it("fails with its documented exit codes when a setting is missing, the Secret is unreadable, or the Deployment is not its own", () => {
        assert.equal(run({ SECRET: "" }).status, 2);
        const other = run({ SECRET: "grafana-admin" });
        assert.equal(other.status, 3, "the Role allows no other Secret");
        const notOwn = run({ DEPLOYMENT: "kube-prometheus-stack-grafana" });
        assert.equal(notOwn.status, 4, "the Role allows no other Deployment");
        fs.rmSync(path.join(state(), "secret"));
        assert.equal(run().status, 3);
    });
});
