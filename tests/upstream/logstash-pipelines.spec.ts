/**
 * LOG-1, UP-1: the Logstash resource's pipelines are what Logstash accepts in pipelines.yml. The ECK CRD preserves
 * unknown fields under spec.pipelines, so the CRD schema check cannot see a wrong key there; ECK passes each entry
 * through unchanged and Logstash refuses any top-level key outside its per-pipeline settings
 * (tests/upstream/logging/logstash-pipeline-settings.yaml, from the pinned Logstash and ECK sources).
 */
import { strict as assert } from "node:assert";
import { nameOf, ofType, renderedStack, STACKS } from "../support/plan";
import { configAt, readData, stackConfig } from "./support";

interface PipelineSettings {
    source: { project: string; file: string; version: string; url: string };
    pinned: { stackVersion: string; eckOperatorChart: string };
    settings: string[];
}

const data = readData<PipelineSettings>("logging", "logstash-pipeline-settings.yaml");

/** What Logstash would refuse in one pipelines.yml entry, or what leaves it without a pipeline. */
export function pipelineProblems(entry: Record<string, unknown>): string[] {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(entry)) {
        if (!data.settings.includes(key))
            problems.push(`"${key}" is not a pipeline setting of Logstash ${data.pinned.stackVersion}`);
        else if (value !== null && typeof value === "object")
            problems.push(`"${key}" holds a map; pipelines.yml settings are scalars`);
    }
    if (typeof entry["pipeline.id"] !== "string") problems.push("no pipeline.id");
    if ("config.string" in entry === "path.config" in entry) problems.push("exactly one of config.string and path.config");
    return problems;
}

describe("LOG-1 Logstash pipelines are entries Logstash accepts", function () {
    this.timeout(300_000);

    it("the settings data names its source and matches the pinned stack and ECK versions", function () {
        assert.match(data.source.url, /^https:\/\/github\.com\/elastic\/logstash\/blob\/v\d+\.\d+\.\d+\//);
        assert.ok(data.source.version.includes(`Logstash v${data.pinned.stackVersion}`));
        for (const stack of STACKS) {
            const config = stackConfig(stack);
            assert.equal(
                configAt(config, "logging.stackVersion"),
                data.pinned.stackVersion,
                `${stack}: refresh ${data.source.file} for the new Logstash version`,
            );
            assert.equal(
                configAt(config, "logging.eckOperatorChart"),
                data.pinned.eckOperatorChart,
                `${stack}: check how the new ECK writes pipelines.yml`,
            );
        }
    });

    it("refuses nested keys, unknown keys and an entry without a config", function () {
        assert.deepEqual(pipelineProblems({ "pipeline.id": "main", "config.string": "input {}", "pipeline.workers": 2 }), []);
        assert.match(
            pipelineProblems({ "pipeline.id": "main", config: { string: "input {}" } }).join("\n"),
            /"config" is not a pipeline setting/,
        );
        assert.match(
            pipelineProblems({ "pipeline.id": "main", "config.string": "x", "pipeline.batchsize": 1 }).join("\n"),
            /"pipeline.batchsize"/,
        );
        assert.match(pipelineProblems({ "pipeline.id": "main" }).join("\n"), /exactly one of/);
    });

    for (const stack of STACKS) {
        it(stack, async function () {
            const doc = await renderedStack(stack);
            const logstash = ofType(doc, "kubernetes:logstash.k8s.elastic.co/v1alpha1:Logstash");
            assert.equal(logstash.length, 1);
            const pipelines = (logstash[0].inputs.spec as { pipelines?: Record<string, unknown>[] }).pipelines ?? [];
            assert.ok(pipelines.length > 0, "a pipeline is declared");
            const problems = pipelines.flatMap((p, i) =>
                pipelineProblems(p).map((m) => `${nameOf(logstash[0])} pipelines[${i}]: ${m}`),
            );
            assert.deepEqual(problems, []);
        });
    }
});
