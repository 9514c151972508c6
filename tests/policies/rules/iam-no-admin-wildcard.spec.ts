import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "iam-no-admin-wildcard";
const POLICY = "aws:iam/policy:Policy";
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const adminDoc = doc({ Effect: "Allow", Action: "*", Resource: "*" });

describe(`${RULE}: AdministratorAccess attachments (SEC-4)`, () => {
    it("reports AdministratorAccess among the attached ARNs and accepts other managed policies", async () => {
        await pinResource(
            RULE,
            ATTACHMENT,
            { role: "api", policyArn: ADMIN },
            { violations: ["policyArn attaches AdministratorAccess: that is administrator access."] },
        );
        await pinResource(RULE, ATTACHMENT, { role: "api", policyArn: READ_ONLY }, {});
        await pinResource(
            RULE,
            EXCLUSIVE,
            { roleName: "api", policyArns: [READ_ONLY, ADMIN] },
            { violations: ["policyArns attaches AdministratorAccess: that is administrator access."] },
        );
        await pinResource(RULE, EXCLUSIVE, { roleName: "api", policyArns: [READ_ONLY] }, {});
    });

    it("reads only string ARNs: a nested list holding the ARN is not an attachment", async () => {
        await pinResource(RULE, EXCLUSIVE, { roleName: "api", policyArns: [[ADMIN]] }, {});
    });

    it("cannot judge an unknown ARN or an unknown one among known ARNs", async () => {
        await pinResource(
            RULE,
            ATTACHMENT,
            { role: "api", policyArn: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "policyArn")] },
        );
        await pinResource(
            RULE,
            EXCLUSIVE,
            { roleName: "api", policyArns: [ADMIN, WIRE.unknown] },
            { cannotJudge: [cannotJudge(RULE, "policyArns")] },
        );
    });

    it("judges an attachment by its ARN only, never by a policy document it does not have", async () => {
        await pinResource(RULE, ATTACHMENT, { role: "api", policyArn: READ_ONLY, policy: adminDoc }, {});
    });

    it("judges a role by both its managed policy ARNs and its inline policies", async () => {
        await pinResource(
            RULE,
            ROLE,
            { managedPolicyArns: [ADMIN], inlinePolicies: [{ name: "admin", policy: adminDoc }] },
            {
                violations: [
                    "managedPolicyArns attaches AdministratorAccess: that is administrator access.",
                    'inlinePolicies[0].policy Statement[0] allows "*" on "*": that is administrator access.',
                ],
            },
        );
        await pinResource(
            RULE,
            ROLE,
            { managedPolicyArns: [WIRE.unknown], inlinePolicies: [{ name: "admin", policy: adminDoc }] },
            {
                violations: ['inlinePolicies[0].policy Statement[0] allows "*" on "*": that is administrator access.'],
                cannotJudge: [cannotJudge(RULE, "managedPolicyArns")],
            },
        );
        await pinResource(RULE, ROLE, { managedPolicyArns: [READ_ONLY] }, {});
    });
});

describe(`${RULE}: Allow statements on every action and resource (SEC-4)`, () => {
    it("names the statement and the form of its action and resource", async () => {
        await pinResource(
            RULE,
            POLICY,
            {
                policy: doc(
                    { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
                    { Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: ["arn:aws:s3:::a", "*"] },
                    { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
                    { Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::a" },
                    { Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::a" },
                ),
            },
            {
                violations: [
                    'policy Statement[1] allows "*" on "*": that is administrator access.',
                    'policy Statement[2] allows NotAction on "*": that is administrator access.',
                    'policy Statement[3] allows "*" on NotResource: that is administrator access.',
                    "policy Statement[4] allows NotAction on NotResource: that is administrator access.",
                ],
            },
        );
    });

    it("accepts Deny statements, every action on named resources, and named actions on every resource", async () => {
        await pinResource(
            RULE,
            POLICY,
            {
                policy: doc(
                    { Effect: "Deny", Action: "*", Resource: "*" },
                    { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::a" },
                    { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
                ),
            },
            {},
        );
    });

    it("reports an invalid document and cannot judge an unknown one", async () => {
        await pinResource(RULE, POLICY, { policy: "not json" }, { violations: ["policy is not a valid policy document."] });
        await pinResource(RULE, POLICY, { policy: WIRE.unknown }, { cannotJudge: [cannotJudge(RULE, "policy")] });
        await pinResource(RULE, ROLE, { inlinePolicies: WIRE.unknown }, { cannotJudge: [cannotJudge(RULE, "inlinePolicies")] });
    });
});
