/**
 * Both policy packs served over the Analyzer gRPC protocol by `@pulumi/pulumi`'s `run-policy-pack` entry,
 * as the Pulumi CLI serves a local pack, return the same policies and the same violations as the offline
 * runner, on every stack (DEP-2, POL-3). The resources are those the program registered through the language
 * host (tests/protocol/runs.ts), described as the engine describes them: properties as a protobuf Struct with
 * secrets and unknowns in their wire form, options, provider, parent and dependencies.
 */
import { strict as assert } from "assert";
import { builtinPack, runPolicyPacks } from "../../tools/policy/runner";
import { loadStackConfig } from "../../policies/lib/config";
import type { PolicyViolation } from "../../tools/plan/types";
import { STACKS, renderedStack, resources } from "../support/plan";
import { AnalyzedResource, ServedPack, engineConfig } from "./analyzer";
import { EngineRun, asState } from "./engine";
import { PACKS, languageHostRun, servedPack, stopPacks } from "./runs";

function key(v: PolicyViolation): string {
    return JSON.stringify([v.policyPack, v.policy, v.enforcementLevel, v.urn, v.message, v.severity ?? null]);
}

/** The engine's view of every registered resource; `forStack` uses state (AnalyzeStack) instead of inputs. */
function describeResources(run: EngineRun, forStack: boolean): AnalyzedResource[] {
    const byUrn = new Map(run.registrations.map((r) => [r.urn, r]));
    return run.registrations.map((r): AnalyzedResource => {
        const providerUrn = r.provider ? r.provider.slice(0, r.provider.lastIndexOf("::")) : "";
        const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
        const properties = forStack
            ? r.custom
                ? r.state
                : (asState(run.outputs.get(r.urn) ?? {}) as Record<string, unknown>)
            : (asState(r.object) as Record<string, unknown>);
        return {
            urn: r.urn,
            type: r.type,
            name: r.name,
            properties,
            options: { ...r.options, protect: r.protect, parent: r.parent },
            ...(provider
                ? {
                      provider: {
                          urn: provider.urn,
                          type: provider.type,
                          name: provider.name,
                          properties: asState(provider.object) as Record<string, unknown>,
                      },
                  }
                : {}),
            parent: r.parent,
            dependencies: r.dependencies,
        };
    });
}

describe("policy packs over the Analyzer gRPC protocol, served by run-policy-pack, equal the offline runner (DEP-2, POL-3)", function () {
    this.timeout(600_000);
    const served = new Map<string, ServedPack>();

    before(async () => {
        // The program runs and both packs start together.
        void languageHostRun(STACKS[0]);
        const started = await Promise.allSettled(PACKS.map((p) => servedPack(p)));
        started.forEach((s, i) => {
            if (s.status === "fulfilled") served.set(PACKS[i], s.value);
        });
        const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
        if (failed) throw failed.reason;
    });

    after(async () => {
        await stopPacks();
    });

    for (const pack of PACKS) {
        it(`${pack}: GetAnalyzerInfo lists the pack's policies with their levels, severities and config schemas`, async () => {
            const info = await served.get(pack)!.info();
            const offline = builtinPack(pack);
            assert.equal(info.name, offline.name);
            assert.equal(info.version, offline.version);
            assert.deepEqual(
                info.policies.map((p) => [p.name, p.description, p.enforcementLevel, p.severity]),
                offline.policies.map((p) => [p.name, p.description, p.enforcementLevel ?? offline.enforcementLevel, p.severity]),
            );
            assert.ok(info.policies.length > 5);
        });
    }

    for (const stack of STACKS) {
        it(`${stack}: Configure, Analyze per resource and AnalyzeStack give the offline runner's violations`, async () => {
            const [run, offline] = await Promise.all([languageHostRun(stack), renderedStack(stack)]);
            assert.equal(run.code, 0, run.stderr.slice(-2000));
            const file = loadStackConfig(stack) as Record<string, unknown>;
            const perResource = describeResources(run, false);
            const perStack = describeResources(run, true);
            let analyzed = 0;
            // Both packs at once, and every resource's Analyze in flight together, as the engine analyzes
            // resources while it steps through them.
            const results = await Promise.all(
                PACKS.map(async (pack) => {
                    const client = served.get(pack)!;
                    const info = await client.info();
                    await client.configureStack(stack, "bookbuddy");
                    await client.configure(engineConfig(info, file));
                    const perResourceViolations = await Promise.all(
                        perResource.map(async (r) => {
                            const v = await client.analyze(r);
                            analyzed++;
                            return v;
                        }),
                    );
                    const got: PolicyViolation[] = [...perResourceViolations.flat(), ...(await client.analyzeStack(perStack))];
                    return { pack, got };
                }),
            );
            for (const { pack, got } of results) {
                const expected = await runPolicyPacks(resources(offline), { packs: [pack], stack });
                assert.deepEqual(got.map(key).sort(), expected.map(key).sort(), `${pack} on ${stack}`);
            }
            assert.equal(analyzed, 2 * run.registrations.length);
        });
    }

    it("reports a violation over gRPC when a resource breaks a rule (the comparison can fail)", async () => {
        const run = await languageHostRun("prod");
        const bucket = describeResources(run, false).find(
            (r) => r.type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        );
        assert.ok(bucket, "prod has a public access block");
        const client = served.get("security")!;
        await client.configure(engineConfig(await client.info(), loadStackConfig("prod") as Record<string, unknown>));
        const open = { ...bucket, properties: { ...bucket.properties, blockPublicAcls: false, blockPublicPolicy: false } };
        const violations = await client.analyze(open);
        assert.ok(
            violations.some((v) => v.enforcementLevel === "mandatory" && v.urn === bucket.urn),
            JSON.stringify(violations),
        );
    });
});
