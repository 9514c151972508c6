import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "iam-pass-role-scoped";
const POLICY = "aws:iam/policy:Policy";
const ROLE = "aws:iam/role:Role";
const ROLE_ARN = "arn:aws:iam::111122223333:role/bookbuddy-task";
const document = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const doc = (...statements: Record<string, unknown>[]) => ({ name: "p", policy: document(...statements) });
const allowAll = (...actions: string[]) => ({ Effect: "Allow", Action: actions, Resource: "*" });
const passes = (where: string, i: number, actions: string) => `${where} Statement[${i}] allows ${actions} (iam:PassRole) on "*".`;

describe(`${RULE}: iam:PassRole names the roles it may pass (SEC-4)`, () => {
    it("names every action of a statement that includes iam:PassRole, in any case and through wildcards", async () => {
        await pinResource(
            RULE,
            POLICY,
            doc(
                { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
                allowAll("*", "iam:*", "iam:PassRole", "IAM:PASSROLE", "iam:Pass*", "iam:P?ssRole", "iam:*Role"),
            ),
            { violations: [passes("policy", 1, "*, iam:*, iam:PassRole, IAM:PASSROLE, iam:Pass*, iam:P?ssRole, iam:*Role")] },
        );
    });

    it("leaves actions that do not include iam:PassRole alone", async () => {
        await pinResource(
            RULE,
            POLICY,
            doc(
                allowAll(
                    "",
                    "iam:GetRole",
                    "iam:Pass",
                    "iam:PassRoles",
                    "iam:?assRol",
                    "iam:Pass?ole*x",
                    "s3:*",
                    "iam:PassRole.",
                ),
            ),
            {},
        );
    });

    it("reports only an Allow on a Resource list that includes *", async () => {
        await pinResource(RULE, POLICY, doc({ Effect: "Allow", Action: "iam:PassRole", Resource: [ROLE_ARN, "*"] }), {
            violations: [passes("policy", 0, "iam:PassRole")],
        });
        await pinResource(RULE, POLICY, doc({ Effect: "Allow", Action: "iam:PassRole", Resource: ROLE_ARN }), {});
        await pinResource(RULE, POLICY, doc({ Effect: "Deny", Action: "iam:PassRole", Resource: "*" }), {});
        await pinResource(RULE, POLICY, doc({ Effect: "allow", Action: "iam:PassRole", Resource: "*" }), {});
    });

    it("leaves NotAction and NotResource statements to iam-no-allow-not", async () => {
        await pinResource(RULE, POLICY, doc({ Effect: "Allow", NotAction: "iam:PassRole", Resource: "*" }), {});
        await pinResource(RULE, POLICY, doc({ Effect: "Allow", Action: "iam:PassRole", NotResource: "*" }), {});
    });

    it("reads every inline policy of a role and names where it found it", async () => {
        await pinResource(
            RULE,
            ROLE,
            {
                inlinePolicies: [
                    { name: "a", policy: document(allowAll("s3:GetObject")) },
                    { name: "b", policy: document(allowAll("iam:*")) },
                ],
            },
            { violations: [passes("inlinePolicies[1].policy", 0, "iam:*")] },
        );
    });

    it("cannot judge unknown documents, and still judges the known ones", async () => {
        await pinResource(RULE, POLICY, { name: "p", policy: WIRE.unknown }, { cannotJudge: [cannotJudge(RULE, "policy")] });
        await pinResource(RULE, ROLE, { inlinePolicies: WIRE.unknown }, { cannotJudge: [cannotJudge(RULE, "inlinePolicies")] });
        await pinResource(
            RULE,
            ROLE,
            {
                inlinePolicies: [
                    { name: "a", policy: WIRE.unknown },
                    { name: "b", policy: document(allowAll("iam:PassRole")) },
                ],
            },
            {
                violations: [passes("inlinePolicies[1].policy", 0, "iam:PassRole")],
                cannotJudge: [cannotJudge(RULE, "inlinePolicies[0].policy")],
            },
        );
    });

    it("reads an action as a glob over the whole service:action string, the service part included (fail closed)", async () => {
        await pinResource(RULE, POLICY, doc(allowAll("*:PassRole", "i*", "*Role", "iam:PassRol?")), {
            violations: [passes("policy", 0, "*:PassRole, i*, *Role, iam:PassRol?")],
        });
        await pinResource(RULE, POLICY, doc(allowAll("s3:*", "*:GetObject", "iam:Pass", "iam:PassRole2", "sts:PassRole")), {});
    });

    it("takes every other character literally, so an action with regular-expression characters neither matches nor throws", async () => {
        await pinResource(
            RULE,
            POLICY,
            doc(allowAll("iam:Pass(", "iam:Pass.ole", "iam:[P]assRole", "iam:PassRole$", "iam:Pass-Role")),
            {},
        );
    });

    it("leaves a document that is not JSON to the rules that judge its form", async () => {
        await pinResource(RULE, POLICY, { name: "p", policy: "{not json" }, {});
    });
});
