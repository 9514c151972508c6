/**
 * SEC-4, #14 item 1: every role's real API calls, evaluated against the role's rendered policies by a real IAM
 * policy evaluator (@cloud-copilot/iam-simulate). The calls are data (tests/upstream/iam-calls/<role>.yaml),
 * written from each upstream project's documentation and official policy at the pinned version, with resource
 * ARNs and the request context IAM sees (request tags, CreateAction, resource tags, kms:ViaService ...).
 * Every `allowed` call must be allowed; every `denied` call must be denied (least privilege).
 */
import { strict as assert } from "assert";
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { PlanDocument } from "../../tools/plan/types";
import { renderedStack, STACKS } from "../support/plan";
import {
    configAt,
    listData,
    PolicyDocument,
    readData,
    resolver,
    resourcePolicyFor,
    RolePolicies,
    rolesOf,
    Source,
    stackConfig,
} from "./support";

interface Call {
    call: string;
    action: string;
    resource: string;
    context?: Record<string, string | string[]>;
}

interface CallFile {
    role: string;
    source: Source;
    /** The config key whose value the data was written for; a different value fails until the data is refreshed. */
    pinned?: { config: string; version: string };
    /** Stacks that declare the role (default: all). */
    stacks?: string[];
    allowed: Call[];
    denied: Call[];
}

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

interface Gap {
    action: string;
    resourceTypes: string[];
    resourcePatterns: string[];
    conditionKeys: string[];
}
const GAPS = readData<{ source: Source; gaps: Gap[] }>("iam-reference-gaps.yaml").gaps;

/** The gap entry that covers a call, if the evaluator's data lacks that action's resource type. */
function gapFor(call: Call): Gap | undefined {
    return GAPS.find(
        (g) =>
            g.action.toLowerCase() === call.action.toLowerCase() &&
            g.resourcePatterns.some((p) => new RegExp(p).test(call.resource)),
    );
}

/**
 * Evaluates one call as the role's principal against the role's identity policies. Strict: the action must
 * exist, the resource ARN must be of a resource type the action is authorised against, and every context key
 * must be one IAM evaluates for that request (a key the evaluator would ignore is an error, not a silent pass).
 */
export async function simulate(
    role: RolePolicies,
    call: Call,
    account: string,
    resourcePolicy?: PolicyDocument,
): Promise<Decision> {
    const simulation = {
        identityPolicies: role.identity.map((p) => ({ name: p.name, policy: p.policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy ? { resourcePolicy } : {}),
        request: {
            action: call.action,
            principal: role.arn,
            resource: { resource: call.resource, accountId: account },
            contextVariables: call.context ?? {},
        },
    } as unknown as Parameters<typeof runSimulation>[0];
    const response = await runSimulation(simulation, {});
    const where = `${role.name}: the call "${call.call}" (${call.action} on ${call.resource})`;
    if (response.resultType === "error") {
        const gap = gapFor(call);
        if (!gap || response.errors.message !== "no.resource.types")
            throw new Error(`${where} is not a valid request: ${JSON.stringify(response.errors)}`);
        const allowedKey = (k: string) =>
            gap.conditionKeys.some((c) => (c.endsWith("${TagKey}") ? k.startsWith(c.replace("${TagKey}", "")) : c === k));
        const unknown = Object.keys(call.context ?? {}).filter((k) => !allowedKey(k));
        if (unknown.length) throw new Error(`${where}: context keys IAM does not evaluate for it: ${unknown.join(", ")}`);
        return runUnsafeSimulation(simulation, {}) as Decision;
    }
    const ignored = response.resultType === "single" ? (response.result.ignoredContextKeys ?? []) : [];
    if (ignored.length) throw new Error(`${where}: context keys IAM does not evaluate for it: ${ignored.join(", ")}`);
    return response.overallResult as Decision;
}

const FILES = listData("iam-calls").map((f) => ({ file: f, data: readData<CallFile>("iam-calls", f) }));

function resolveCall(call: Call, resolve: (s: string) => string): Call {
    const context: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(call.context ?? {}))
        context[resolve(k)] = Array.isArray(v) ? v.map(resolve) : resolve(String(v));
    return { ...call, resource: resolve(call.resource), context };
}

describe("UP-1, SEC-4: every role's API calls, simulated against its rendered policies", function () {
    this.timeout(300_000);
    const docs: Record<string, PlanDocument> = {};
    before(async () => {
        for (const s of STACKS) docs[s] = await renderedStack(s);
    });

    it("the data files are complete: source recorded, at least one allowed and one denied call each", () => {
        assert.ok(FILES.length >= 10, `only ${FILES.length} call files`);
        for (const { file, data } of FILES) {
            for (const k of ["project", "file", "version"] as const) assert.ok(data.source?.[k], `${file}: source.${k} missing`);
            assert.ok(data.allowed?.length > 0, `${file}: no allowed calls`);
            assert.ok(data.denied?.length > 0, `${file}: no denied calls`);
            for (const c of [...data.allowed, ...data.denied])
                assert.ok(
                    c.call && c.action && c.resource,
                    `${file}: a call needs call, action and resource: ${JSON.stringify(c)}`,
                );
        }
    });

    it("the evaluator can fail: a planted over-narrow policy denies, and an invalid request is refused", async () => {
        const role: RolePolicies = {
            name: "planted",
            arn: "arn:aws:iam::123456789012:role/planted",
            trust: { Version: "2012-10-17", Statement: [] },
            identity: [
                {
                    name: "p",
                    policy: {
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: "elasticloadbalancing:CreateListener",
                                Resource: "arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*",
                            },
                        ],
                    },
                },
            ],
        };
        const lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-x/0123456789abcdef";
        assert.equal(
            await simulate(
                role,
                { call: "create a listener", action: "elasticloadbalancing:CreateListener", resource: lb },
                "123456789012",
            ),
            "ImplicitlyDenied",
        );
        await assert.rejects(
            simulate(
                role,
                {
                    call: "listener ARN",
                    action: "elasticloadbalancing:CreateListener",
                    resource: `${lb.replace("loadbalancer", "listener")}/fedcba`,
                },
                "123456789012",
            ),
            /not a valid request/,
        );
        await assert.rejects(
            simulate(
                role,
                { call: "stray key", action: "elasticloadbalancing:CreateListener", resource: lb, context: { "s3:prefix": "x" } },
                "123456789012",
            ),
            /does not evaluate/,
        );
    });

    it("every reference gap is still a gap of the evaluator's data (remove entries the data has caught up with)", async () => {
        for (const gap of GAPS) {
            for (const [i, type] of gap.resourceTypes.entries()) {
                const sample = gap.resourcePatterns[i]
                    .replace(/^\^|\$$/g, "")
                    .replace("[^:]+", "us-east-1")
                    .replace("\\d{12}", "123456789012")
                    .replace(/\[\^\/\]\+/g, "x")
                    .replace(/\[0-9a-f\]\+/g, "0a");
                const response = await runSimulation(
                    {
                        identityPolicies: [],
                        serviceControlPolicies: [],
                        resourceControlPolicies: [],
                        request: {
                            action: gap.action,
                            principal: "arn:aws:iam::123456789012:role/r",
                            resource: { resource: sample, accountId: "123456789012" },
                            contextVariables: {},
                        },
                    } as unknown as Parameters<typeof runSimulation>[0],
                    {},
                );
                assert.equal(
                    response.resultType,
                    "error",
                    `${gap.action} on ${type} (${sample}): the evaluator now knows it; drop the gap entry`,
                );
            }
        }
    });

    for (const stack of STACKS) {
        it(`${stack}: every role of the stack has a call file, and every call file names a role of the stack`, () => {
            const env = `bookbuddy-${stack}`;
            const roles = rolesOf(docs[stack]).map((r) => r.name.slice(env.length + 1));
            const covered = FILES.filter((f) => !f.data.stacks || f.data.stacks.includes(stack)).map((f) => f.data.role);
            assert.deepEqual(
                roles.filter((r) => !covered.includes(r)),
                [],
                `${stack}: roles without tests/upstream/iam-calls data`,
            );
            assert.deepEqual(
                covered.filter((r) => !roles.includes(r)),
                [],
                `${stack}: call files for roles the stack does not declare`,
            );
        });

        it(`${stack}: the data was written for the pinned versions the stack uses`, () => {
            const config = stackConfig(stack);
            const stale = FILES.filter(
                (f) => f.data.pinned && String(configAt(config, f.data.pinned.config)) !== f.data.pinned.version,
            ).map(
                (f) =>
                    `${f.file}: written for ${f.data.pinned!.config} = ${f.data.pinned!.version}, the stack pins ${String(configAt(config, f.data.pinned!.config))}; refresh the calls from ${f.data.source.project} at that version`,
            );
            assert.deepEqual(stale, []);
        });

        for (const { file, data } of FILES) {
            if (data.stacks && !data.stacks.includes(stack)) continue;
            it(`${stack}: ${data.role}: ${data.allowed.length} calls allowed, ${data.denied.length} denied (${data.source.project} ${data.source.version})`, async () => {
                const doc = docs[stack];
                const resolve = resolver(doc, stack);
                const role = rolesOf(doc).find((r) => r.name === `bookbuddy-${stack}-${data.role}`);
                assert.ok(role, `${file}: no role bookbuddy-${stack}-${data.role}`);
                const account = role.arn.split(":")[4];
                const wrong: string[] = [];
                for (const raw of data.allowed) {
                    const call = resolveCall(raw, resolve);
                    const decision = await simulate(role, call, account, resourcePolicyFor(doc, call.resource));
                    if (decision !== "Allowed")
                        wrong.push(
                            `should be allowed, is ${decision}: ${call.call} (${call.action} on ${call.resource} ${JSON.stringify(call.context)})`,
                        );
                }
                for (const raw of data.denied) {
                    const call = resolveCall(raw, resolve);
                    const decision = await simulate(role, call, account, resourcePolicyFor(doc, call.resource));
                    if (decision === "Allowed")
                        wrong.push(
                            `should be denied, is allowed: ${call.call} (${call.action} on ${call.resource} ${JSON.stringify(call.context)})`,
                        );
                }
                assert.deepEqual(wrong, [], `${file}`);
            });
        }
    }
});
