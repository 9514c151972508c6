import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import {
    fluentBitConfig,
    lifecyclePolicy,
    LoggingArgs,
    LoggingStack,
    LOG_METRIC,
    SETUP_SCRIPT_PATH,
    snapshotPolicy,
    snapshotRepository,
} from "../../components/logging";
import { alertRuleGroups, alertingRules } from "../../components/monitoring/rules";
import { PlanDocument } from "../../tools/plan/types";
import { json, one, ofType, renderComponent, renderedStack } from "../support/plan";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const args: LoggingArgs = {
    versions: { eckOperator: "3.1.0", stack: "9.1.3", fluentBit: "0.52.0" },
    oidc: {
        providerArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/QA",
        issuer: "oidc.eks.us-east-1.amazonaws.com/id/QA",
    },
    context: { accountId: "123456789012", region: "us-east-1", partition: "aws" },
    storageClassName: "gp3-encrypted",
    setupImage: "docker.io/curlimages/curl:8.15.0",
    archive: { kmsKeyArn: KEY, accessLogBucket: "qa-logs", bucketName: "qa-log-archive" },
};
const ES = "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch";

describe("LoggingStack (LOG-1, LOG-2)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderComponent(() => new LoggingStack("logs", args));
    });

    it("pins the operator, the stack version and the shipper", () => {
        const charts = Object.fromEntries(
            ofType(doc, "kubernetes:helm.sh/v3:Release").map((r) => [r.inputs.chart, r.inputs.version]),
        );
        assert.deepStrictEqual(charts, { "eck-operator": "3.1.0", "fluent-bit": "0.52.0" });
        for (const kind of [
            "elasticsearch.k8s.elastic.co/v1:Elasticsearch",
            "kibana.k8s.elastic.co/v1:Kibana",
            "logstash.k8s.elastic.co/v1alpha1:Logstash",
        ]) {
            assert.strictEqual((one(doc, `kubernetes:${kind}`).inputs as any).spec.version, "9.1.3", kind);
        }
    });

    it("spreads three Elasticsearch nodes over zones with allocation awareness, on encrypted volumes", () => {
        const es = one(doc, ES).inputs as any;
        const set = es.spec.nodeSets[0];
        assert.strictEqual(set.count, 3);
        assert.strictEqual(set.config["cluster.routing.allocation.awareness.attributes"], "k8s_node_name,zone");
        assert.strictEqual(set.podTemplate.spec.topologySpreadConstraints[0].topologyKey, "topology.kubernetes.io/zone");
        assert.strictEqual(es.metadata.annotations["eck.k8s.elastic.co/downward-node-labels"], "topology.kubernetes.io/zone");
        assert.strictEqual(set.volumeClaimTemplates[0].spec.storageClassName, "gp3-encrypted");
        assert.strictEqual(es.spec.http, undefined, "TLS stays ECK's default");
        assert.strictEqual(set.podTemplate.spec.serviceAccountName, "elasticsearch");
    });

    it("archives snapshots to a 90-day logs bucket through a least-privilege IRSA role", () => {
        const bucket = one(doc, "aws:s3/bucket:Bucket").inputs as any;
        assert.strictEqual(bucket.tags["data-class"], "logs");
        const lifecycle = one(doc, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs as any;
        assert.ok(lifecycle.rules.some((r: any) => r.expiration?.days === 90));
        assert.strictEqual(ofType(doc, "aws:eks/podIdentityAssociation:PodIdentityAssociation").length, 0);
        const trust = json(one(doc, "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0];
        assert.deepStrictEqual(trust.Condition.StringEquals, {
            "oidc.eks.us-east-1.amazonaws.com/id/QA:sub": "system:serviceaccount:logging:elasticsearch",
            "oidc.eks.us-east-1.amazonaws.com/id/QA:aud": "sts.amazonaws.com",
        });
        const policy = json(one(doc, "aws:iam/rolePolicy:RolePolicy").inputs.policy);
        for (const s of policy.Statement) assert.notStrictEqual(s.Resource, "*", s.Sid);
        assert.deepStrictEqual(policy.Statement.find((s: any) => s.Sid === "Objects").Resource, "arn:aws:s3:::qa-log-archive/*");
    });

    it("defines a 90-day delete phase, a daily snapshot kept 90 days and the S3 repository", () => {
        assert.strictEqual((lifecyclePolicy(90) as any).policy.phases.delete.min_age, "90d");
        assert.throws(() => lifecyclePolicy(30), /at least 90 days/);
        const slm = snapshotPolicy("0 30 1 * * ?", 90) as any;
        assert.deepStrictEqual([slm.schedule, slm.repository, slm.retention.expire_after], ["0 30 1 * * ?", "s3-archive", "90d"]);
        assert.deepStrictEqual((snapshotRepository("b") as any).settings.bucket, "b");
        const map = ofType(doc, "kubernetes:core/v1:ConfigMap").find(
            (c) => (c.inputs as any).metadata.labels?.app === "elasticsearch-setup",
        )!.inputs as any;
        assert.strictEqual(JSON.parse(map.data["repository.json"]).settings.bucket, "qa-log-archive");
        const job = one(doc, "kubernetes:batch/v1:Job").inputs as any;
        assert.match(job.metadata.name, /^elasticsearch-setup-[0-9a-f]{10}$/);
    });

    it("counts FATAL, ERROR and WARN lines into exactly the metric and labels the LOG-2 rules read", () => {
        const rules = alertingRules(alertRuleGroups({}, { runbookBaseUrl: "https://example.com" })).filter((r) =>
            r.alert.startsWith("Log"),
        );
        const metric = `${LOG_METRIC.namespace}_${LOG_METRIC.name}`;
        for (const r of rules) assert.ok(r.expr.includes(metric), r.alert);
        for (const sev of LOG_METRIC.severities)
            assert.ok(
                rules.some((r) => r.expr.includes(`severity="${sev}"`)),
                sev,
            );
        const fb = fluentBitConfig("ls.logging.svc");
        assert.match(fb.filters, /Name log_to_metrics[\s\S]*Metric_Namespace bookbuddy\n[\s\S]*Metric_Name log_lines_total\n/);
        for (const label of [
            "severity $severity",
            "namespace $kubernetes['namespace_name']",
            "app $kubernetes['labels']['app.kubernetes.io/name']",
        ]) {
            assert.ok(fb.filters.includes(`Add_Label ${label}`), label);
        }
        // The severity parser's regex (Onigmo syntax shares these constructs with JavaScript).
        const regex = /Regex (.*)/.exec(fb.customParsers)![1];
        const sev = (line: string) => new RegExp(regex).exec(line)?.groups?.severity;
        assert.deepStrictEqual(["x FATAL y", "ERROR: db", "WARNING disk", "CRITICAL", "0 errors", "INFO ok"].map(sev), [
            "FATAL",
            "ERROR",
            "WARN",
            "CRITICAL",
            undefined,
            undefined,
        ]);
        assert.match(fb.filters, /Condition Key_Value_Equals severity CRITICAL\n {4}Set severity FATAL/);
        const monitor = one(doc, "kubernetes:monitoring.coreos.com/v1:PodMonitor").inputs as any;
        assert.deepStrictEqual(monitor.spec.podMetricsEndpoints[0].honorLabels, true);
    });
});

describe("Elasticsearch setup script (LOG-1)", () => {
    it("waits for the cluster, then PUTs the lifecycle, template, repository and snapshot policy", async () => {
        const seen: Array<[string, string, string]> = [];
        let healthCalls = 0;
        const server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => {
                if (req.url?.startsWith("/_cluster/health")) {
                    healthCalls++;
                    return void res.writeHead(healthCalls < 2 ? 503 : 200).end("{}");
                }
                seen.push([req.method!, req.url!, body]);
                assert.strictEqual(req.headers.authorization, `Basic ${Buffer.from("elastic:pw").toString("base64")}`);
                res.writeHead(200).end('{"acknowledged":true}');
            });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "es-setup-"));
        for (const f of ["ilm-policy.json", "logs-custom.json", "repository.json", "slm-policy.json"])
            fs.writeFileSync(path.join(dir, f), JSON.stringify({ file: f }));
        try {
            const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- spawned lazily inside the fake server
                const child = require("child_process").spawn("sh", [SETUP_SCRIPT_PATH], {
                    env: {
                        PATH: process.env.PATH,
                        ES_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
                        ELASTIC_PASSWORD: "pw",
                        BODIES: dir,
                        CA_FILE: "/dev/null",
                    },
                });
                let stderr = "";
                child.stderr.on("data", (d: Buffer) => (stderr += d));
                child.on("close", (status: number) => resolve({ status, stderr }));
            });
            assert.strictEqual(run.status, 0, run.stderr);
            assert.deepStrictEqual(
                seen.map(([m, u]) => `${m} ${u}`),
                [
                    "PUT /_ilm/policy/bookbuddy-logs",
                    "PUT /_component_template/logs@custom",
                    "PUT /_snapshot/s3-archive",
                    "POST /_snapshot/s3-archive/_verify",
                    "PUT /_slm/policy/daily-snapshots",
                ],
            );
            assert.strictEqual(JSON.parse(seen[0][2]).file, "ilm-policy.json");
            assert.strictEqual(JSON.parse(seen[4][2]).file, "slm-policy.json");
        } finally {
            server.close();
        }
    });

    it("refuses to run without its inputs", () => {
        const r = spawnSync("sh", [SETUP_SCRIPT_PATH], { env: { PATH: process.env.PATH }, encoding: "utf8" });
        assert.notStrictEqual(r.status, 0);
        assert.match(r.stderr, /ES_URL is required/);
    });
});

describe("logging in the stacks (LOG-1, ENV-3, ENV-4)", () => {
    it("runs one Elasticsearch node in dev and three zone-aware nodes in prod", async () => {
        const dev = (one(await renderedStack("dev"), ES).inputs as any).spec.nodeSets[0];
        assert.deepStrictEqual([dev.count, dev.podTemplate.spec.topologySpreadConstraints.length], [1, 0]);
        const prod = (one(await renderedStack("prod"), ES).inputs as any).spec.nodeSets[0];
        assert.deepStrictEqual([prod.count, prod.podTemplate.spec.topologySpreadConstraints.length], [3, 1]);
    });
});
