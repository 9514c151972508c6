/**
 * UP-1 (K8S-2, MON-1, MON-2, LOG-1, REL-1): every custom resource of the three rendered stacks validates against
 * the openAPIV3Schema of its pinned operator's CRD (tests/upstream/crds/<operator>/, extracted by
 * tools/upstream/refresh-crds.ts from the upstream repository at the chart's tag), strictly like
 * `kubectl apply --validate=strict`, with ObjectMeta's rules for its metadata. A rendered kind without data fails;
 * a chart version in config or in a rendered release that differs from the data's fails until the data is refreshed.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { schema } from "../../infra/config/schema";
import { CrdSource, tagOf } from "../../tools/upstream/crds";
import { nameOf, ofType, renderedStack, REPO_ROOT, STACKS } from "../support/plan";
import { CrdCatalog, customResources, FORMATS, isBuiltIn, metadataProblems, operators } from "./crd-schemas";
import { configAt, stackConfig } from "./support";

const catalog = new CrdCatalog();
const ALL = catalog.all;

/** The schema default of a dotted configuration key, e.g. `logging.eckOperatorChart`. */
function schemaDefault(dotted: string): unknown {
    let node: any = { fields: schema };
    for (const key of dotted.split(".")) node = node?.fields?.[key];
    assert.ok(node, `no configuration key ${dotted}`);
    return node.defaultValue;
}

/** Every value of a schema keyword anywhere in a schema (property names are not keywords). */
function keywordValues(node: unknown, keyword: string, out: unknown[] = []): unknown[] {
    if (Array.isArray(node)) node.forEach((n) => keywordValues(n, keyword, out));
    else if (node && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) {
            if (k === keyword) out.push(v);
            if (k === "properties" || k === "patternProperties")
                Object.values(v as object).forEach((s) => keywordValues(s, keyword, out));
            else keywordValues(v, keyword, out);
        }
    }
    return out;
}

/** Where the pinned chart version differs from the CRD data's: schema default, stack configuration, rendered releases. */
function versionProblems(
    name: string,
    s: CrdSource,
    defaultValue: unknown,
    pinned: Record<string, unknown>,
    released: Record<string, unknown[]>,
): string[] {
    const refresh = `refresh tests/upstream/crds/${name} with tools/upstream/refresh-crds.ts`;
    const problems: string[] = [];
    if (defaultValue !== s.chartVersion)
        problems.push(
            `bookbuddy:${s.config} defaults to ${String(defaultValue)}; the CRD data is for ${s.chartVersion}: ${refresh}`,
        );
    for (const [stack, version] of Object.entries(pinned)) {
        if (version !== s.chartVersion)
            problems.push(
                `Pulumi.${stack}.yaml pins ${s.chart} ${String(version)}; the CRD data is for ${s.chartVersion}: ${refresh}`,
            );
    }
    let installed = 0;
    for (const [stack, versions] of Object.entries(released)) {
        // A stack may leave an operator out (progressive delivery off); then it renders none of its kinds.
        if (versions.length > 1) problems.push(`${stack}: ${versions.length} releases of ${s.chart}`);
        installed += versions.length;
        for (const v of versions)
            if (v !== s.chartVersion)
                problems.push(
                    `${stack}: a release installs ${s.chart} ${String(v)}; the CRD data is for ${s.chartVersion}: ${refresh}`,
                );
    }
    if (installed === 0) problems.push(`no stack installs ${s.chart}: its CRD data is unused`);
    return problems;
}

describe("UP-1 CRD schema data of the pinned operators", function () {
    it("covers ECK, External Secrets, the Prometheus Operator and Argo Rollouts, SecretStore included", function () {
        const kinds = Object.fromEntries(ALL.map((o) => [o.name, o.crds.map((c) => c.kind).sort()]));
        assert.deepEqual(kinds["eck"], ["Elasticsearch", "Kibana", "Logstash"]);
        assert.deepEqual(kinds["external-secrets"], ["ClusterSecretStore", "ExternalSecret", "PushSecret", "SecretStore"]);
        assert.deepEqual(kinds["prometheus-operator"], [
            "AlertmanagerConfig",
            "PodMonitor",
            "Probe",
            "PrometheusRule",
            "ServiceMonitor",
        ]);
        assert.deepEqual(kinds["argo-rollouts"], ["AnalysisTemplate", "Rollout"]);
        // Per-namespace stores (SEC-7) are validated as what they are: namespaced.
        assert.equal(catalog.find("external-secrets.io/v1", "SecretStore")?.crd.scope, "Namespaced");
        assert.equal(catalog.find("external-secrets.io/v1", "ClusterSecretStore")?.crd.scope, "Cluster");
    });

    for (const operator of ALL) {
        it(`${operator.name}: names its source for every kind, with the tag of the pinned chart version`, function () {
            const s = operator.source;
            assert.match(s.repository, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
            assert.match(s.commit, /^[0-9a-f]{40}$/);
            assert.equal(s.tag, tagOf(s, s.chartVersion));
            assert.deepEqual(Object.keys(s.kinds).sort(), operator.crds.map((c) => c.kind).sort());
            for (const crd of operator.crds) {
                assert.deepEqual(
                    { ...crd.source, file: undefined },
                    {
                        project: s.project,
                        repository: s.repository,
                        tag: s.tag,
                        commit: s.commit,
                        url: `${s.repository}/blob/${s.tag}/${crd.source.file}`,
                        file: undefined,
                    },
                    crd.kind,
                );
                assert.ok(s.crdFiles.includes(crd.source.file), `${crd.kind}: ${crd.source.file} is not one of the CRD files`);
                assert.equal(crd.versions.filter((v) => v.storage).length, 1, `${crd.kind}: one storage version`);
                assert.equal(
                    keywordValues(crd.versions, "description").filter((d) => typeof d === "string").length,
                    0,
                    `${crd.kind}: descriptions are stripped`,
                );
            }
        });

        it(`${operator.name}: a chart bump without refreshed data fails (${operator.source.config})`, async function () {
            this.timeout(120_000);
            const pinned: Record<string, unknown> = {};
            const released: Record<string, unknown[]> = {};
            for (const stack of STACKS) {
                pinned[stack] = configAt(stackConfig(stack), operator.source.config);
                released[stack] = ofType(await renderedStack(stack), "kubernetes:helm.sh/v3:Release")
                    .filter((r) => r.inputs.chart === operator.source.chart)
                    .map((r) => r.inputs.version);
            }
            assert.deepEqual(
                versionProblems(operator.name, operator.source, schemaDefault(operator.source.config), pinned, released),
                [],
            );
            // The same check on a bumped pin reports every place the new version shows up.
            const bumped = "999.0.0";
            const stale = versionProblems(operator.name, operator.source, bumped, { dev: bumped }, { dev: [bumped] });
            assert.equal(stale.length, 3, stale.join("\n"));
        });
    }

    it("uses only formats the validator checks, and only CEL rules that do not apply on create", function () {
        const formats = new Set(ALL.flatMap((o) => o.crds.flatMap((c) => keywordValues(c.versions, "format") as string[])));
        assert.deepEqual(
            [...formats].filter((f) => !(f in FORMATS)),
            [],
            "a format the validator does not check: add it to FORMATS in tests/upstream/crd-schemas.ts",
        );
        // CEL rules (x-kubernetes-validations) are not evaluated here; every rule in the data is a transition rule
        // (it compares with oldSelf), which the API server evaluates on update only.
        const rules = ALL.flatMap((o) =>
            o.crds.flatMap((c) =>
                (keywordValues(c.versions, "x-kubernetes-validations") as { rule: string }[][])
                    .flat()
                    .map((r) => `${c.kind}: ${r.rule}`),
            ),
        );
        assert.deepEqual(
            rules.filter((r) => !/\boldSelf\b/.test(r)),
            [],
            "a CEL rule that applies on create: evaluate it in tests/upstream/crd-schemas.ts",
        );
    });
});

describe("UP-1 the CRD validator is strict where the API server is", function () {
    const es = {
        apiVersion: "elasticsearch.k8s.elastic.co/v1",
        kind: "Elasticsearch",
        metadata: { name: "logs", namespace: "logging" },
        spec: { version: "9.1.3", nodeSets: [{ name: "default", count: 1 }] },
    };
    const store = {
        apiVersion: "external-secrets.io/v1",
        kind: "SecretStore",
        metadata: { name: "aws", namespace: "bookbuddy" },
        spec: { provider: { aws: { service: "SecretsManager", region: "us-east-1" } } },
    };
    const monitor = {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: "api", namespace: "monitoring" },
        spec: { selector: {}, endpoints: [{ port: "http" }] },
    };

    it("accepts valid objects", function () {
        assert.deepEqual(catalog.problems(es), []);
        assert.deepEqual(catalog.problems(store), []);
        assert.deepEqual(catalog.problems(monitor), []);
    });

    it("rejects an unknown field, a wrong type, a missing required field and a value outside an enum", function () {
        assert.match(
            catalog.problems({ ...es, spec: { ...es.spec, nodeSet: [] } }).join("\n"),
            /additional properties: "nodeSet"/,
        );
        assert.match(
            catalog.problems({ ...es, spec: { ...es.spec, nodeSets: [{ name: "default", count: "1" }] } }).join("\n"),
            /nodeSets\/0\/count must be integer/,
        );
        assert.match(
            catalog.problems({ ...es, spec: { nodeSets: es.spec.nodeSets } }).join("\n"),
            /must have required property 'version'/,
        );
        assert.match(
            catalog
                .problems({ ...store, spec: { provider: { aws: { service: "SecretManager", region: "us-east-1" } } } })
                .join("\n"),
            /must be equal to one of the allowed values/,
        );
    });

    it("honours x-kubernetes-preserve-unknown-fields and x-kubernetes-int-or-string", function () {
        // podTemplate and config preserve unknown fields: anything goes below them.
        assert.deepEqual(
            catalog.problems({
                ...es,
                spec: {
                    ...es.spec,
                    nodeSets: [
                        {
                            name: "default",
                            count: 1,
                            config: { "node.roles": ["data"] },
                            podTemplate: { spec: { anything: true } },
                        },
                    ],
                },
            }),
            [],
        );
        // A ServiceMonitor's targetPort is an integer or a string, nothing else.
        const port = (targetPort: unknown) =>
            catalog.problems({ ...monitor, spec: { ...monitor.spec, endpoints: [{ targetPort }] } });
        assert.deepEqual(port(8080), []);
        assert.deepEqual(port("http"), []);
        assert.notDeepEqual(port(true), []);
        assert.notDeepEqual(port(1.5), []);
        // An array that preserves unknown fields passes that on to its items (Logstash pipelines), as the server's pruning does.
        const logstash = {
            apiVersion: "logstash.k8s.elastic.co/v1alpha1",
            kind: "Logstash",
            metadata: { name: "l", namespace: "logging" },
            spec: { version: "9.1.3", pipelines: [{ "pipeline.id": "main", "config.string": "input {}" }] },
        };
        assert.deepEqual(catalog.problems(logstash), []);
        assert.match(
            catalog
                .problems({ ...logstash, spec: { ...logstash.spec, elasticsearchRefs: [{ name: "es", clusterNam: "eck" }] } })
                .join("\n"),
            /"clusterNam"/,
        );
    });

    it("checks metadata by the CRD's scope and ObjectMeta's rules", function () {
        assert.deepEqual(
            metadataProblems({ name: "a", namespace: "b", labels: { "app.kubernetes.io/name": "x" } }, "Namespaced"),
            [],
        );
        assert.match(catalog.problems({ ...store, metadata: { name: "aws" } }).join("\n"), /namespace is missing/);
        assert.match(
            catalog.problems({ ...store, kind: "ClusterSecretStore", metadata: { name: "aws", namespace: "x" } }).join("\n"),
            /namespace is set on a cluster-scoped kind/,
        );
        assert.match(metadataProblems({ name: "Bad_Name", namespace: "b" }, "Namespaced").join("\n"), /not a DNS-1123 subdomain/);
        assert.match(metadataProblems({ namespace: "b" }, "Namespaced").join("\n"), /metadata.name is missing/);
        assert.match(
            metadataProblems({ name: "a", namespace: "b", labels: { "team/": "x" } }, "Namespaced").join("\n"),
            /labels\["team\/"\]/,
        );
        assert.match(
            metadataProblems({ name: "a", namespace: "b", labels: { team: "has space" } }, "Namespaced").join("\n"),
            /not a label value/,
        );
        assert.match(
            metadataProblems({ name: "a", namespace: "b", annotations: { n: 1 } }, "Namespaced").join("\n"),
            /not a string/,
        );
        assert.match(
            metadataProblems({ name: "a", namespaces: "b" }, "Cluster").join("\n"),
            /metadata.namespaces is not a field/,
        );
    });

    it("fails a kind or version without data, and tells built-in kinds from custom resources", function () {
        assert.match(
            catalog.problems({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }).join("\n"),
            /no CRD schema data/,
        );
        assert.match(catalog.problems({ ...es, apiVersion: "elasticsearch.k8s.elastic.co/v2" }).join("\n"), /no CRD schema data/);
        assert.equal(isBuiltIn("kubernetes:apps/v1:Deployment"), true);
        assert.equal(isBuiltIn("kubernetes:core/v1:ConfigMap"), true);
        assert.equal(isBuiltIn("kubernetes:networking.k8s.io/v1:Ingress"), true);
        assert.equal(isBuiltIn("kubernetes:monitoring.coreos.com/v1:ServiceMonitor"), false);
        assert.equal(isBuiltIn("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"), false);
    });
});

describe("UP-1 every rendered custom resource validates against its pinned CRD", function () {
    this.timeout(300_000);
    for (const stack of STACKS) {
        it(`${stack}`, async function () {
            const doc = await renderedStack(stack);
            const found = customResources(doc);
            const kinds = new Set(found.map((r) => `${String(r.inputs.apiVersion)} ${String(r.inputs.kind)}`));
            // The kinds the program renders today; a new one needs data (the check below fails without it).
            for (const k of [
                "elasticsearch.k8s.elastic.co/v1 Elasticsearch",
                "kibana.k8s.elastic.co/v1 Kibana",
                "external-secrets.io/v1 ExternalSecret",
                "monitoring.coreos.com/v1 PrometheusRule",
                "argoproj.io/v1alpha1 Rollout",
            ]) {
                assert.ok(kinds.has(k), `${stack}: renders no ${k}`);
            }
            const problems: string[] = [];
            for (const r of found) {
                assert.equal(
                    r.type.replace(/^kubernetes:core\//, "kubernetes:"),
                    `kubernetes:${String(r.inputs.apiVersion)}:${String(r.inputs.kind)}`,
                    `${nameOf(r)}: type and apiVersion/kind agree`,
                );
                for (const p of catalog.problems(r.inputs)) problems.push(`${r.inputs.kind} ${nameOf(r)}: ${p}`);
            }
            assert.deepEqual(problems, []);
            // No kind passes vacuously: a misspelt field in any rendered object's spec is caught.
            for (const k of kinds) {
                const object = found.find((r) => `${String(r.inputs.apiVersion)} ${String(r.inputs.kind)}` === k)!
                    .inputs as Record<string, any>;
                assert.match(
                    catalog.problems({ ...object, spec: { ...object.spec, specTypo: 1 } }).join("\n"),
                    /additional properties: "specTypo"/,
                    k,
                );
            }
        });
    }
});

describe("UP-1: tools/upstream/refresh-crds.ts", function () {
    this.timeout(60_000);
    const run = (args: string[]) =>
        spawnSync(process.execPath, ["-r", "./tools/ts-loader.cjs", "tools/upstream/refresh-crds.ts", ...args], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });
    const crd = (kind: string, group: string) => `{{- if .Values.enabled }}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${kind.toLowerCase()}s.${group}
  labels:
    helm.sh/chart: '{{ include "chart" . }}'
spec:
  group: ${group}
  names: { kind: ${kind}, plural: ${kind.toLowerCase()}s }
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        description: prose that is dropped
        type: object
        properties:
          spec:
            type: object
            properties:
              description: { type: string, description: a property named description stays }
              count: { type: integer, format: int32 }
  - name: v0
    served: false
    storage: false
    schema: { openAPIV3Schema: { type: object } }
{{- end }}
`;

    it("extracts the kept kinds of the tag from a git clone, prose stripped, with source and commit", function () {
        const repo = fs.mkdtempSync(path.join(os.tmpdir(), "crd-repo-"));
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "crd-out-"));
        const git = (...args: string[]) =>
            execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
                encoding: "utf8",
            });
        git("init", "-q");
        const file = operators().find((o) => o.name === "eck")!.source.crdFiles[0];
        fs.mkdirSync(path.join(repo, path.dirname(file)), { recursive: true });
        fs.writeFileSync(
            path.join(repo, file),
            ["Elasticsearch", "Kibana", "Logstash", "Beat"].map((k) => crd(k, `${k.toLowerCase()}.k8s.elastic.co`)).join(""),
        );
        git("add", ".");
        git("commit", "-qm", "crds");
        git("tag", "v9.8.7");
        const r = run(["--operator", "eck", "--version", "9.8.7", "--git", repo, "--out-dir", out]);
        assert.equal(r.status, 0, r.stderr);
        const source = JSON.parse(fs.readFileSync(path.join(out, "source.json"), "utf8"));
        assert.equal(source.tag, "v9.8.7");
        assert.equal(source.commit, git("rev-parse", "HEAD").trim());
        assert.deepEqual(source.kinds, { Elasticsearch: "elasticsearch.json", Kibana: "kibana.json", Logstash: "logstash.json" });
        const kibana = JSON.parse(fs.readFileSync(path.join(out, "kibana.json"), "utf8"));
        assert.equal(kibana.source.url, `https://github.com/elastic/cloud-on-k8s/blob/v9.8.7/${file}`);
        assert.deepEqual(
            kibana.versions.map((v: any) => v.name),
            ["v1"],
        );
        assert.deepEqual(kibana.versions[0].openAPIV3Schema, {
            type: "object",
            properties: {
                spec: {
                    type: "object",
                    properties: { description: { type: "string" }, count: { type: "integer", format: "int32" } },
                },
            },
        });
        fs.rmSync(repo, { recursive: true, force: true });
        fs.rmSync(out, { recursive: true, force: true });
    });

    it("bad input: one clear message and exit 2", function () {
        const r = run(["--operator", "eck", "--version", "9.8.7", "--git", "/nonexistent/repo"]);
        assert.equal(r.status, 2);
        assert.equal(r.stderr, "refresh-crds: --git /nonexistent/repo: no such directory\n");
        assert.match(
            run(["--operator", "nope", "--version", "1.0.0", "--git", "."]).stderr,
            /^refresh-crds: --operator nope: no tests\/upstream\/crds\/nope\/source.json\n$/,
        );
        assert.match(
            run(["--operator", "eck", "--version", "latest", "--git", "."]).stderr,
            /^refresh-crds: --version latest: expected a chart version/,
        );
        const missingTag = run(["--operator", "eck", "--version", "0.0.1", "--git", REPO_ROOT]);
        assert.equal(missingTag.status, 2);
        assert.match(
            missingTag.stderr,
            /^refresh-crds: --git .*: no tag v0\.0\.1 \(fetch the tags of https:\/\/github.com\/elastic\/cloud-on-k8s\)\n$/,
        );
    });
});
