/**
 * REL-1, UP-1: the Rollout and AnalysisTemplate objects the program declares validate against the
 * openAPIV3Schema of the pinned argo-rollouts chart (tests/upstream/crds/argo-rollouts, with source.json
 * naming repository, tag and commit). Validation is strict like `kubectl apply --validate=strict`: a field the
 * schema does not know is an error, except where the schema preserves unknown fields.
 *
 * A chart bump without refreshed schema data fails here: the pinned default and every stack's version must
 * equal the data's chartVersion.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { ValidateFunction } from "ajv";
import { schema } from "../../infra/config/schema";
import { ApiRollout } from "../../components/release/rollout";
import { analysisTemplateSpec } from "../../components/release/analysis";
import { PlanDocument } from "../../tools/plan/types";
import { ofType, renderComponent, renderedStack, REPO_ROOT, STACKS } from "../support/plan";
import * as YAML from "yaml";

const DATA = path.join(REPO_ROOT, "tests", "upstream", "crds", "argo-rollouts");
const source = JSON.parse(fs.readFileSync(path.join(DATA, "source.json"), "utf8"));

interface CrdData {
    group: string;
    kind: string;
    versions: Array<{ name: string; served: boolean; storage: boolean; openAPIV3Schema: Record<string, unknown> }>;
}

/** Closes every object schema that lists properties and does not preserve unknown fields (strict field validation). */
function strict(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(strict);
    if (node === null || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        out[k] = k === "properties" ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, strict(s)])) : strict(v);
    }
    if (out.properties && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) {
        // apiVersion, kind and metadata are validated by the API server itself, not by the CRD schema.
        out.additionalProperties = false;
    }
    return out;
}

function validator(file: string): { crd: CrdData; validate: ValidateFunction } {
    const crd = JSON.parse(fs.readFileSync(path.join(DATA, file), "utf8")) as CrdData;
    const version = crd.versions.find((v) => v.storage)!;
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const keyword of ["x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-embedded-resource", "x-kubernetes-validations"]) {
        ajv.addKeyword({ keyword });
    }
    ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
    return { crd, validate: ajv.compile(strict(version.openAPIV3Schema) as object) };
}

const rolloutSchema = validator("rollout.json");
const analysisSchema = validator("analysis-template.json");

function check(v: { crd: CrdData; validate: ValidateFunction }, object: any): string[] {
    assert.equal(object.apiVersion, `${v.crd.group}/${v.crd.versions.find((x) => x.storage)!.name}`);
    assert.equal(object.kind, v.crd.kind);
    const ok = v.validate({ ...object, metadata: {} });
    return ok ? [] : (v.validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

function objectsOf(doc: PlanDocument, kind: string): any[] {
    return ofType(doc, `kubernetes:argoproj.io/v1alpha1:${kind}`).map((r) => r.inputs);
}

describe("UP-1 argo-rollouts CRD schema data", function () {
    it("names its source, and matches the chart version pinned in config and in every stack", function () {
        assert.equal(source.chart, "argo-rollouts");
        assert.match(source.commit, /^[0-9a-f]{40}$/);
        assert.equal(source.tag, `argo-rollouts-${source.chartVersion}`);
        assert.equal(schema.release.fields.rolloutsChart.defaultValue, source.chartVersion, "bookbuddy:release.rolloutsChart changed: refresh tests/upstream/crds/argo-rollouts");
        for (const stack of STACKS) {
            const file = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8"));
            const pinned = file.config["bookbuddy:release"]?.rolloutsChart ?? source.chartVersion;
            assert.equal(pinned, source.chartVersion, `Pulumi.${stack}.yaml pins argo-rollouts ${pinned}; the schema data is for ${source.chartVersion}`);
        }
        for (const file of Object.keys(source.files)) assert.ok(fs.existsSync(path.join(DATA, file)), file);
    });

    it("strict validation rejects an unknown field, a wrong type and a missing required field", function () {
        const base = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", spec: { strategy: { canary: { steps: [{ setWeight: 10 }] } } } };
        assert.deepEqual(check(rolloutSchema, base), []);
        assert.notDeepEqual(check(rolloutSchema, { ...base, spec: { strategy: { canary: { stepz: [] } } } }), []);
        assert.notDeepEqual(check(rolloutSchema, { ...base, spec: { strategy: { canary: { steps: [{ setWeight: "ten" }] } } } }), []);
        assert.notDeepEqual(check(rolloutSchema, { ...base, spec: { strategy: { canary: { trafficRouting: { alb: { ingress: "x" } } } } } }), []);
        const template = { apiVersion: "argoproj.io/v1alpha1", kind: "AnalysisTemplate", spec: { metrics: [{ name: "m", provider: { prometheus: { query: "up" } }, successCondition: "result[0] == 1" }] } };
        assert.deepEqual(check(analysisSchema, template), []);
        assert.notDeepEqual(check(analysisSchema, { ...template, spec: { metrics: [{ provider: {} }] } }), []);
    });
});

describe("REL-1 rendered Rollouts and AnalysisTemplates validate against the pinned CRDs", function () {
    this.timeout(300_000);
    for (const stack of STACKS) {
        it(`${stack}`, async function () {
            const doc = await renderedStack(stack);
            const rollouts = objectsOf(doc, "Rollout");
            assert.equal(rollouts.length, 1);
            for (const r of rollouts) assert.deepEqual(check(rolloutSchema, r), [], `${stack} Rollout`);
            for (const t of objectsOf(doc, "AnalysisTemplate")) assert.deepEqual(check(analysisSchema, t), [], `${stack} AnalysisTemplate`);
        });
    }

    it("the blue-green form validates too", async function () {
        const analysis = {
            errorRatePercent: 1,
            latencyP95Seconds: 1,
            apiJob: "bookbuddy-api",
            namespace: "bookbuddy",
            rolloutName: "bookbuddy-api",
            window: "2m",
            interval: "1m",
            initialDelay: "1m",
            failureLimit: 0,
            prometheusAddress: "http://prometheus.monitoring.svc:9090",
            count: 5,
        };
        const doc = await renderComponent(
            () =>
                new ApiRollout("bg", {
                    namespace: "bookbuddy",
                    deploymentName: "bookbuddy-api",
                    labels: { "app.kubernetes.io/name": "bookbuddy-api" },
                    selector: { "app.kubernetes.io/name": "bookbuddy-api" },
                    stableService: "bookbuddy-api",
                    ingressName: "bookbuddy-api",
                    servicePort: 80,
                    replicas: 3,
                    strategy: { kind: "blueGreen", previewSeconds: 60, scaleDownDelaySeconds: 900 },
                    analysis,
                }),
        );
        const [rollout] = objectsOf(doc, "Rollout");
        assert.deepEqual(check(rolloutSchema, rollout), []);
        assert.equal(rollout.spec.strategy.blueGreen.activeService, "bookbuddy-api");
        assert.deepEqual(check(analysisSchema, { apiVersion: "argoproj.io/v1alpha1", kind: "AnalysisTemplate", spec: analysisTemplateSpec(analysis) }), []);
    });
});
