/**
 * REL-1, UP-1: every Helm value the program gives the argo-rollouts chart is a key of the pinned chart's
 * values.yaml (tests/upstream/charts/argo-rollouts/values-keys.json, with repository, tag and commit), or lies
 * below a key the chart renders whole (`toYaml`). A misspelt key would be ignored by Helm without a word.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { schema } from "../../infra/config/schema";
import { ofType, renderedStack, REPO_ROOT, STACKS } from "../support/plan";

const data = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "tests/upstream/charts/argo-rollouts/values-keys.json"), "utf8")) as {
    chartVersion: string;
    commit: string;
    keys: string[];
    freeForm: string[];
};

/** Key paths of a values object (maps walked, lists and scalars are leaves). */
function keyPaths(values: Record<string, unknown>, prefix = ""): string[] {
    return Object.entries(values).flatMap(([k, v]) => {
        const p = prefix ? `${prefix}.${k}` : k;
        return v !== null && typeof v === "object" && !Array.isArray(v) ? [p, ...keyPaths(v as Record<string, unknown>, p)] : [p];
    });
}

/** Key paths the pinned chart does not know. */
function unknownKeys(values: Record<string, unknown>): string[] {
    const known = new Set(data.keys);
    return keyPaths(values).filter((p) => !known.has(p) && !data.freeForm.some((f) => p.startsWith(`${f}.`)));
}

describe("UP-1 argo-rollouts chart values exist in the pinned chart", function () {
    this.timeout(300_000);

    it("the data is for the pinned chart version", function () {
        assert.equal(schema.release.fields.rolloutsChart.defaultValue, data.chartVersion);
        assert.match(data.commit, /^[0-9a-f]{40}$/);
    });

    it("refuses a misspelt key and accepts any field below a key the chart renders whole", function () {
        assert.deepEqual(unknownKeys({ controller: { replicas: 2, resources: { limits: { cpu: "1" } } } }), []);
        assert.deepEqual(unknownKeys({ controller: { replica: 2 } }), ["controller.replica"]);
        assert.deepEqual(unknownKeys({ dashbord: { enabled: false } }), ["dashbord", "dashbord.enabled"]);
    });

    for (const stack of STACKS) {
        it(`${stack}: every value key of the argo-rollouts release`, async function () {
            const release = ofType(await renderedStack(stack), "kubernetes:helm.sh/v3:Release").find((r) => (r.inputs as any).chart === "argo-rollouts");
            assert.ok(release, "the argo-rollouts release");
            assert.equal((release!.inputs as any).version, data.chartVersion);
            assert.deepEqual(unknownKeys((release!.inputs as any).values), []);
        });
    }
});
