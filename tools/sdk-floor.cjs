// The SDK floor of a preview (`npm run bench`, CI-2, QA-2): what registering a stack's resources through the
// Pulumi SDK costs before any program logic, policy, diff or price. It loads the packages the preview loads
// (the bench's bare floor plus @pulumi/policy, which judging needs), then registers the resources recorded in a
// preview document (`npm run plan -- --json`): the same types, names, parents, providers, dependencies and
// inputs, in the recorded order, through the SDK's own mocks, whose answer is the inputs. It prints the number
// of resources the mocks received; the bench compares it with the document, so a floor that registered nothing
// cannot pass for a fast one.
//
//   node tools/sdk-floor.cjs <preview.json>
//
// Plain CommonJS with no project code, so the floor measures the SDK and nothing of ours.
"use strict";
const fs = require("node:fs");

/** The packages of the bench's bare floor (every stack's program requires them); the SDK floor adds @pulumi/policy. */
const PACKAGES = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/postgresql", "@pulumi/random"];
const STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_PREFIX = "pulumi:providers:";

function fail(message) {
    process.stderr.write(`error: ${message}\n`);
    process.exit(2);
}

/** The recorded resource states of a preview document, checked for the fields registration needs. */
function readStates(file) {
    let doc;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        fail(`${file}: not a readable JSON preview document (${e.code ?? e.name})`);
    }
    if (!doc || !Array.isArray(doc.steps)) fail(`${file}: expected a preview document with a "steps" array`);
    return doc.steps.map((step, i) => {
        const state = step && step.newState;
        const ok =
            state &&
            typeof state.type === "string" &&
            typeof state.urn === "string" &&
            typeof state.custom === "boolean" &&
            state.inputs !== null &&
            typeof state.inputs === "object";
        if (!ok) fail(`${file}: steps[${i}].newState needs a type, a urn, custom and inputs`);
        return state;
    });
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → name (names may contain `::`-free text only). */
function nameOf(urn) {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

async function main() {
    const file = process.argv[2];
    if (!file) fail("usage: node tools/sdk-floor.cjs <preview.json>");
    const states = readStates(file);
    // Loaded once the input is known good, so bad input fails at once; the timed run loads them all the same.
    for (const pkg of [...PACKAGES, "@pulumi/policy"]) require(pkg);
    const pulumi = require("@pulumi/pulumi");
    const settings = require("@pulumi/pulumi/runtime/settings");
    const stack = states.find((s) => s.type === STACK_TYPE);
    const [, , stackName = "dev", project = "bookbuddy"] = (stack?.urn ?? "").match(/^urn:pulumi:([^:]+)::([^:]+)::/) ?? [];
    let received = 0;
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                received++;
                return { id: `${args.name}-id`, state: args.inputs };
            },
            call: (args) => args.inputs,
        },
        project,
        stackName,
        true,
    );
    await pulumi.runtime.runInPulumiStack(async () => {
        const byUrn = new Map();
        for (const state of states) {
            if (state.type === STACK_TYPE) continue;
            const name = nameOf(state.urn);
            const opts = {
                parent: state.parent ? byUrn.get(state.parent) : undefined,
                dependsOn: (state.dependencies ?? []).map((d) => byUrn.get(d)).filter(Boolean),
            };
            if (state.provider) {
                // A provider reference is `<provider urn>::<id>`.
                const provider = byUrn.get(state.provider.slice(0, state.provider.lastIndexOf("::")));
                if (provider) opts.provider = provider;
            }
            let resource;
            if (state.type.startsWith(PROVIDER_PREFIX)) {
                resource = new pulumi.ProviderResource(state.type.slice(PROVIDER_PREFIX.length), name, state.inputs, opts);
            } else if (state.custom) {
                resource = new pulumi.CustomResource(state.type, name, state.inputs, opts);
            } else {
                resource = new pulumi.ComponentResource(state.type, name, {}, opts);
            }
            byUrn.set(state.urn, resource);
        }
        return {};
    });
    await settings.waitForRPCs();
    process.stdout.write(`${received}\n`);
}

module.exports = { PACKAGES };

if (require.main === module) main().catch((e) => fail(e && e.message ? e.message : String(e)));
