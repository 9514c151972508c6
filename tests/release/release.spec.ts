/**
 * REL-1: how each stack releases the API and the web build, read from the rendered stacks, and the release
 * configuration's validation (ENV-6): clear errors naming the stack file and the key.
 */
import { strict as assert } from "node:assert";
import { ConfigError, parseStackConfig } from "../../infra/config";
import { releaseAnalysis, releaseStrategy } from "../../infra/release";
import { rolloutStrategy } from "../../components/release/rollout";
import { webReleaseKeyPrefix, webReleasePath } from "../../components/release/web";
import { readProject, readStackConfig } from "../../tools/plan/render";
import { PlanDocument } from "../../tools/plan/types";
import { one, ofType, renderedStack, REPO_ROOT } from "../support/plan";

const T = {
    rollout: "kubernetes:argoproj.io/v1alpha1:Rollout",
    analysis: "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate",
    deploy: "kubernetes:apps/v1:Deployment",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    ing: "kubernetes:networking.k8s.io/v1:Ingress",
    svc: "kubernetes:core/v1:Service",
    helm: "kubernetes:helm.sh/v3:Release",
    cf: "aws:cloudfront/distribution:Distribution",
};

function stackRaw(stack: string): Record<string, string> {
    return readStackConfig(REPO_ROOT, readProject(REPO_ROOT), stack).config;
}

function rejected(stack: string, raw: Record<string, string>): string {
    try {
        parseStackConfig(stack, raw);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
        return (e as Error).message;
    }
    assert.fail("expected the configuration to be rejected");
}

function withRelease(stack: string, release: Record<string, unknown>): Record<string, string> {
    const raw = stackRaw(stack);
    const current = JSON.parse(raw["bookbuddy:release"] ?? "{}");
    return { ...raw, "bookbuddy:release": JSON.stringify({ ...current, ...release }) };
}

function steps(doc: PlanDocument): unknown[] {
    return (one(doc, T.rollout).inputs as any).spec.strategy.canary.steps;
}

describe("REL-1 the API released by Argo Rollouts in every stack", function () {
    this.timeout(300_000);

    it("prod: canary 10% -> 50% -> 100% with 10-minute pauses, analysed in the background from the first step", async function () {
        const doc = await renderedStack("prod");
        assert.deepEqual(steps(doc), [
            { setWeight: 10 },
            { pause: { duration: 600 } },
            { setWeight: 50 },
            { pause: { duration: 600 } },
        ]);
        const canary = (one(doc, T.rollout).inputs as any).spec.strategy.canary;
        assert.deepEqual(canary.trafficRouting, { alb: { ingress: "bookbuddy-api", servicePort: 80 } });
        assert.equal(canary.stableService, "bookbuddy-api");
        assert.equal(canary.canaryService, "bookbuddy-api-canary");
        assert.deepEqual(canary.analysis, {
            templates: [{ templateName: "bookbuddy-api-release" }],
            args: [{ name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } }],
            startingStep: 1,
        });
        assert.equal(ofType(doc, T.analysis).length, 1);
    });

    it("staging: the same shape, faster (2-minute pauses)", async function () {
        assert.deepEqual(steps(await renderedStack("staging")), [
            { setWeight: 10 },
            { pause: { duration: 120 } },
            { setWeight: 50 },
            { pause: { duration: 120 } },
        ]);
    });

    it("dev: straight through, no analysis", async function () {
        const doc = await renderedStack("dev");
        assert.deepEqual(steps(doc), []);
        assert.equal((one(doc, T.rollout).inputs as any).spec.strategy.canary.analysis, undefined);
        assert.equal(ofType(doc, T.analysis).length, 0);
    });

    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: the Rollout runs the Deployment's pod template; HPA, Ingress and Services follow it`, async function () {
            const doc = await renderedStack(stack);
            const rollout = one(doc, T.rollout).inputs as any;
            assert.deepEqual(rollout.spec.workloadRef, {
                apiVersion: "apps/v1",
                kind: "Deployment",
                name: "bookbuddy-api",
                scaleDown: "progressively",
            });
            assert.equal((one(doc, T.deploy, /-app-api$/).inputs as any).spec.replicas, 0);
            assert.deepEqual((one(doc, T.hpa).inputs as any).spec.scaleTargetRef, {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "Rollout",
                name: "bookbuddy-api",
            });
            const ingress = one(doc, T.ing, /-app-api$/).inputs as any;
            assert.deepEqual(ingress.spec.rules[0].http.paths[0].backend.service, {
                name: "bookbuddy-api",
                port: { name: "use-annotation" },
            });
            const canarySvc = one(doc, T.svc, /-canary$/).inputs as any;
            assert.equal(canarySvc.metadata.name, "bookbuddy-api-canary");
            // Same labels as the stable Service, so the ServiceMonitor scrapes the canary pods with job=bookbuddy-api.
            assert.equal(canarySvc.metadata.labels["app.kubernetes.io/name"], "bookbuddy-api");
            const controller = ofType(doc, T.helm).find((r) => (r.inputs as any).chart === "argo-rollouts")!.inputs as any;
            assert.equal(controller.version, "2.41.0");
            assert.equal(controller.repositoryOpts.repo, "https://argoproj.github.io/argo-helm");
            assert.equal(controller.values.providerRBAC.providers.awsLoadBalancerController, true);
            assert.equal(controller.values.providerRBAC.providers.istio, false);
        });
    }

    it("the web distribution serves the configured build's prefix", async function () {
        const doc = await renderedStack("prod");
        const web = ofType(doc, T.cf).find((r) => /-web$/.test(r.urn))!.inputs as any;
        assert.equal(web.origins[0].originPath, "/releases/0.1.0");
    });
});

describe("REL-1 release configuration", function () {
    it("reads the analysis thresholds from monitoring.thresholds, the alert rules' source", function () {
        const raw = stackRaw("prod");
        const monitoring = JSON.parse(raw["bookbuddy:monitoring"]);
        const cfg = parseStackConfig("prod", {
            ...raw,
            "bookbuddy:monitoring": JSON.stringify({
                ...monitoring,
                thresholds: { errorRatePercent: 2.5, latencyP95Seconds: 0.8 },
            }),
        });
        const analysis = releaseAnalysis(cfg, "bookbuddy")!;
        assert.equal(analysis.errorRatePercent, 2.5);
        assert.equal(analysis.latencyP95Seconds, 0.8);
    });

    it("blue-green is selectable per stack: active/preview Services and an analysis after the switch", function () {
        const cfg = parseStackConfig("prod", withRelease("prod", { strategy: "blueGreen" }));
        const strategy = rolloutStrategy(
            {
                strategy: releaseStrategy(cfg),
                analysis: releaseAnalysis(cfg, "bookbuddy"),
                stableService: "bookbuddy-api",
                ingressName: "bookbuddy-api",
                servicePort: 80,
            },
            "t",
        ) as any;
        assert.equal(strategy.blueGreen.activeService, "bookbuddy-api");
        assert.equal(strategy.blueGreen.previewService, "bookbuddy-api-preview");
        assert.equal(strategy.blueGreen.scaleDownDelaySeconds, 900);
        assert.ok(strategy.blueGreen.postPromotionAnalysis);
        assert.equal(releaseAnalysis(cfg, "bookbuddy")!.count, 5);
    });

    it("rejects weights that do not grow, naming the file and the key", function () {
        const message = rejected("prod", withRelease("prod", { canaryWeights: [50, 10] }));
        assert.match(message, /^Pulumi\.prod\.yaml: invalid stack configuration \(1 problem\):/);
        assert.match(message, /bookbuddy:release\.canaryWeights\[1\]: got 10; expected a weight above the one before \(50\)/);
    });

    it("rejects a weight of 100 or more, an unknown strategy and an unknown key", function () {
        assert.match(rejected("prod", withRelease("prod", { canaryWeights: [10, 100] })), /release\.canaryWeights\[1\]/);
        assert.match(
            rejected("prod", withRelease("prod", { strategy: "rolling" })),
            /release\.strategy: got "rolling"; expected one of/,
        );
        assert.match(rejected("prod", withRelease("prod", { canarySteps: [10] })), /release\.canarySteps/);
    });

    it("rejects a blue-green switch-back window shorter than the analysis after the switch", function () {
        const message = rejected(
            "prod",
            withRelease("prod", { strategy: "blueGreen", scaleDownDelaySeconds: 300, analysisMeasurements: 10 }),
        );
        assert.match(
            message,
            /release\.scaleDownDelaySeconds: got 300; expected more than the analysis after the switch .* = 660 s/,
        );
    });

    it("requires web.release and refuses a path-like build name", function () {
        const raw = stackRaw("prod");
        const { ["bookbuddy:web"]: _, ...without } = raw;
        assert.match(
            rejected("prod", without),
            /bookbuddy:web: missing; expected a value \(required\): an object with keys release/,
        );
        assert.match(
            rejected("prod", { ...raw, "bookbuddy:web": JSON.stringify({ release: "../admin" }) }),
            /web\.release: got "\.\.\/admin"/,
        );
        assert.match(rejected("prod", { ...raw, "bookbuddy:web": JSON.stringify({ release: "a..b" }) }), /web\.release/);
        assert.equal(webReleasePath("2026.12.01-3f2c1ab"), "/releases/2026.12.01-3f2c1ab");
        assert.equal(webReleaseKeyPrefix("1.2.3"), "releases/1.2.3/");
        assert.throws(() => webReleasePath("a/b"), /build name/);
    });
});
