/**
 * The program run through `@pulumi/pulumi`'s language-host entry (`cmd/run`) against a stand-in engine
 * registers exactly what the offline preview records (DEP-2, CI-2): the same resources, URNs, types,
 * parents, providers, inputs (secrets compared as `[secret]`), dependencies and stack outputs, for every stack.
 */
import { strict as assert } from "assert";
import { redact } from "../../tools/plan/render";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import * as path from "path";
import { REPO_ROOT, STACKS, renderedStack, resources } from "../support/plan";
import { cliLaunch } from "./cli-launch";
import { EngineRun, EngineRegistration } from "./engine";
import { languageHostRun } from "./runs";

interface Comparable {
    type: string;
    parent: string;
    custom: boolean;
    provider: string;
    protect: boolean;
    inputs: unknown;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

function fromOffline(r: PlanResourceState): Comparable {
    return {
        type: r.type,
        parent: r.parent ?? "",
        custom: r.custom,
        provider: r.provider ?? "",
        protect: r.protect === true,
        inputs: r.inputs,
        dependencies: [...r.dependencies].sort(),
        propertyDependencies: Object.fromEntries(
            Object.entries(r.propertyDependencies)
                .map(([k, v]) => [k, [...v].sort()])
                .sort(),
        ),
    };
}

function fromEngine(r: EngineRegistration): Comparable {
    return {
        type: r.type,
        parent: r.parent,
        custom: r.custom,
        provider: r.provider,
        protect: r.protect,
        inputs: redact(r.object),
        dependencies: [...r.dependencies].sort(),
        propertyDependencies: Object.fromEntries(
            Object.entries(r.propertyDependencies)
                .map(([k, v]) => [k, [...v].sort()])
                .sort(),
        ),
    };
}

const ERROR_SEVERITY = 3; // pulumirpc.LogSeverity.ERROR

describe("the program through the language host against a stand-in engine equals the offline preview (DEP-2)", function () {
    this.timeout(600_000);

    for (const stack of STACKS) {
        describe(stack, () => {
            let run: EngineRun;
            let offline: PlanDocument;
            before(async () => {
                [run, offline] = await Promise.all([languageHostRun(stack), renderedStack(stack)]);
            });

            it("was started as the Pulumi CLI starts this project's program: directory, node arguments, environment, entry", () => {
                const launch = cliLaunch(REPO_ROOT);
                const child = run.child;
                assert.equal(child.cwd, launch.programDirectory);
                assert.deepEqual(child.execArgv, launch.nodeArgs);
                const flag = (name: string) => child.argv[child.argv.indexOf(name) + 1];
                assert.equal(flag("--pwd"), launch.programDirectory);
                assert.equal(flag("--root-directory"), launch.rootDirectory);
                assert.equal(child.argv[child.argv.length - 1], launch.entryPoint);
                // Nothing the CLI would not set: no spec-only switch changes how the program is loaded or compiled.
                assert.equal(child.tsNodeIgnore, null);
                assert.equal(child.typescript, launch.env.PULUMI_NODEJS_TYPESCRIPT ?? null);
                const tsNode = child.modules.some((f) => f.includes(`${path.sep}ts-node${path.sep}`));
                assert.equal(
                    tsNode,
                    launch.env.PULUMI_NODEJS_TYPESCRIPT === "true",
                    "ts-node is loaded exactly when the CLI enables it",
                );
                assert.ok(
                    child.modules.includes(path.join(REPO_ROOT, "infra", "index.ts")),
                    "the program's entry module was loaded",
                );
            });

            it("runs to completion with no error logged, asking the engine's features and setting the root stack", () => {
                const errors = run.logs.filter((l) => l.severity >= ERROR_SEVERITY).map((l) => `${l.urn} ${l.message}`);
                assert.deepEqual(errors, [], run.stderr);
                assert.equal(run.code, 0, `exit code ${run.code}; stderr:\n${run.stderr.slice(-3000)}`);
                assert.ok(
                    run.features.includes("secrets") && run.features.includes("outputValues"),
                    `features asked: ${run.features.join(", ")}`,
                );
                assert.equal(run.rootUrn, `urn:pulumi:${stack}::bookbuddy::pulumi:pulumi:Stack::bookbuddy-${stack}`);
            });

            it("registers the same URNs, in any order, none of them twice", () => {
                const engineUrns = run.registrations.map((r) => r.urn);
                const offlineUrns = resources(offline).map((r) => r.urn);
                assert.equal(new Set(engineUrns).size, engineUrns.length);
                assert.deepEqual([...engineUrns].sort(), [...offlineUrns].sort());
                assert.ok(engineUrns.length > 300, `${engineUrns.length} resources`);
                assert.ok(
                    engineUrns.some((u) => u.split("::")[2].split("$").length > 2),
                    "resources two or more component levels deep are among them",
                );
                assert.deepEqual(run.reads, [], "the program reads no existing resources");
            });

            it("gives every resource the same type, parent, provider, protect flag, inputs and dependencies", () => {
                const engine = new Map(run.registrations.map((r) => [r.urn, fromEngine(r)]));
                const differing: string[] = [];
                for (const r of resources(offline)) {
                    const e = engine.get(r.urn);
                    if (!e) continue; // reported by the URN test
                    try {
                        assert.deepEqual(e, fromOffline(r));
                    } catch (err) {
                        differing.push(`${r.urn}\n${(err as Error).message.slice(0, 1500)}`);
                    }
                }
                assert.equal(
                    differing.length,
                    0,
                    `${differing.length} resources differ; first:\n${differing.slice(0, 3).join("\n")}`,
                );
            });

            it("exports the same stack outputs", () => {
                const stackUrn = `urn:pulumi:${stack}::bookbuddy::pulumi:pulumi:Stack::bookbuddy-${stack}`;
                assert.ok(run.outputs.has(stackUrn), "the stack registered its outputs");
                assert.deepEqual(redact(run.outputs.get(stackUrn)), offline.outputs);
            });

            it("answers the program's invokes from the offline mocks (caller identity, region, zones)", () => {
                const tokens = new Set(run.invokes.map((i) => i.token));
                assert.ok(tokens.size > 0, "the program invokes the provider");
                for (const token of tokens) assert.match(token, /^aws:/);
            });
        });
    }
});
