/**
 * REL-1, UP-1: the Rollout and AnalysisTemplate objects the program declares validate against the
 * openAPIV3Schema of the pinned argo-rollouts chart (tests/upstream/crds/argo-rollouts, with source.json
 * naming repository, tag and commit), through the validator every custom resource goes through
 * (tests/upstream/crd-schemas.ts). Validation is strict like `kubectl apply --validate=strict`: a field the
 * schema does not know is an error, except where the schema preserves unknown fields.
 *
 * A chart bump without refreshed schema data fails here: the pinned default and every stack's version must
 * equal the data's chartVersion.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { schema } from "../../infra/config/schema";
import { ApiRollout } from "../../components/release/rollout";
import { analysisTemplateSpec } from "../../components/release/analysis";
import { PlanDocument } from "../../tools/plan/types";
import { ofType, renderComponent, renderedStack, REPO_ROOT, STACKS } from "../support/plan";
import { CrdCatalog } from "../upstream/crd-schemas";
import * as YAML from "yaml";

const DATA = path.join(REPO_ROOT, "tests", "upstream", "crds", "argo-rollouts");
const source = JSON.parse(fs.readFileSync(path.join(DATA, "source.json"), "utf8"));

const catalog = new CrdCatalog();

/** The schema errors of an object (its metadata is checked by tests/upstream/crd-schemas.spec.ts). */
function check(kind: "Rollout" | "AnalysisTemplate", object: any): string[] {
    assert.equal(object.apiVersion, "argoproj.io/v1alpha1");
    assert.equal(object.kind, kind);
    const { validate } = catalog.find(object.apiVersion, kind)!;
    const ok = validate({ ...object, metadata: {} });
    return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

function objectsOf(doc: PlanDocument, kind: string): any[] {
    return ofType(doc, `kubernetes:argoproj.io/v1alpha1:${kind}`).map((r) => r.inputs);
}

describe("UP-1 argo-rollouts CRD schema data", function () {
    it("names its source, and matches the chart version pinned in config and in every stack", function () {
        assert.equal(source.chart, "argo-rollouts");
        assert.match(source.commit, /^[0-9a-f]{40}$/);
        assert.equal(source.tag, `argo-rollouts-${source.chartVersion}`);
        assert.equal(source.config, "release.rolloutsChart");
        assert.equal(
            schema.release.fields.rolloutsChart.defaultValue,
            source.chartVersion,
            "bookbuddy:release.rolloutsChart changed: refresh tests/upstream/crds/argo-rollouts",
        );
        for (const stack of STACKS) {
            const file = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8"));
            const pinned = file.config["bookbuddy:release"]?.rolloutsChart ?? source.chartVersion;
            assert.equal(
                pinned,
                source.chartVersion,
                `Pulumi.${stack}.yaml pins argo-rollouts ${pinned}; the schema data is for ${source.chartVersion}`,
            );
        }
        for (const file of Object.values(source.kinds) as string[]) assert.ok(fs.existsSync(path.join(DATA, file)), file);
    });

    it("strict validation rejects an unknown field, a wrong type and a missing required field", function () {
        const base = {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Rollout",
            spec: { strategy: { canary: { steps: [{ setWeight: 10 }] } } },
        };
        assert.deepEqual(check("Rollout", base), []);
        assert.notDeepEqual(check("Rollout", { ...base, spec: { strategy: { canary: { stepz: [] } } } }), []);
        assert.notDeepEqual(check("Rollout", { ...base, spec: { strategy: { canary: { steps: [{ setWeight: "ten" }] } } } }), []);
        assert.notDeepEqual(
            check("Rollout", { ...base, spec: { strategy: { canary: { trafficRouting: { alb: { ingress: "x" } } } } } }),
            [],
        );
        const template = {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "AnalysisTemplate",
            spec: { metrics: [{ name: "m", provider: { prometheus: { query: "up" } }, successCondition: "result[0] == 1" }] },
        };
        assert.deepEqual(check("AnalysisTemplate", template), []);
        assert.notDeepEqual(check("AnalysisTemplate", { ...template, spec: { metrics: [{ provider: {} }] } }), []);
    });
});

describe("REL-1 rendered Rollouts and AnalysisTemplates validate against the pinned CRDs", function () {
    this.timeout(300_000);
    for (const stack of STACKS) {
        it(`${stack}`, async function () {
            const doc = await renderedStack(stack);
            const rollouts = objectsOf(doc, "Rollout");
            assert.equal(rollouts.length, 1);
            for (const r of rollouts) assert.deepEqual(check("Rollout", r), [], `${stack} Rollout`);
            for (const t of objectsOf(doc, "AnalysisTemplate"))
                assert.deepEqual(check("AnalysisTemplate", t), [], `${stack} AnalysisTemplate`);
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
        assert.deepEqual(check("Rollout", rollout), []);
        assert.equal(rollout.spec.strategy.blueGreen.activeService, "bookbuddy-api");
        assert.deepEqual(
            check("AnalysisTemplate", {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AnalysisTemplate",
                spec: analysisTemplateSpec(analysis),
            }),
            [],
        );
    });
});
