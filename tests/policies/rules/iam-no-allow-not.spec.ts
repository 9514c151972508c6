import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "iam-no-allow-not";
const POLICY = "aws:iam/policy:Policy";
const ROLE = "aws:iam/role:Role";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const document = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const grants = (where: string, i: number, used: string) =>
    `${where} Statement[${i}] allows with ${used}: it grants everything not listed.`;

describe(`${RULE}: no Allow with NotAction, NotResource or NotPrincipal (SEC-4)`, () => {
    it("names every Not element an Allow uses, in a fixed order", async () => {
        await pinResource(
            RULE,
            BUCKET_POLICY,
            {
                bucket: "b",
                policy: document(
                    { Effect: "Allow", Action: "s3:GetObject", Resource: "*", Principal: "*" },
                    { Effect: "Allow", NotPrincipal: { AWS: "x" }, NotResource: "y", NotAction: "s3:*" },
                ),
            },
            { violations: [grants("policy", 1, "NotAction, NotResource, NotPrincipal")] },
        );
        await pinResource(
            RULE,
            POLICY,
            { policy: document({ Effect: "Allow", NotResource: "arn:aws:s3:::x", Action: "s3:*" }) },
            {
                violations: [grants("policy", 0, "NotResource")],
            },
        );
    });

    it("leaves Deny statements and statements without an Effect alone", async () => {
        await pinResource(RULE, POLICY, { policy: document({ Effect: "Deny", NotAction: "s3:*", Resource: "*" }) }, {});
        await pinResource(RULE, POLICY, { policy: document({ NotAction: "s3:*", Resource: "*" }) }, {});
    });

    it("reads the trust policy and each inline policy of a role", async () => {
        await pinResource(
            RULE,
            ROLE,
            {
                assumeRolePolicy: document({
                    Effect: "Allow",
                    NotPrincipal: { Service: "ecs-tasks.amazonaws.com" },
                    Action: "sts:AssumeRole",
                }),
                inlinePolicies: [{ name: "a", policy: document({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) }],
            },
            { violations: [grants("assumeRolePolicy", 0, "NotPrincipal"), grants("inlinePolicies[0].policy", 0, "NotAction")] },
        );
    });

    it("cannot judge unknown documents, and still judges the known ones", async () => {
        await pinResource(
            RULE,
            ROLE,
            {
                assumeRolePolicy: WIRE.unknown,
                inlinePolicies: [{ name: "a", policy: document({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) }],
            },
            {
                violations: [grants("inlinePolicies[0].policy", 0, "NotAction")],
                cannotJudge: [cannotJudge(RULE, "assumeRolePolicy")],
            },
        );
    });

    it("leaves a document that is not JSON to the rules that judge its form", async () => {
        await pinResource(RULE, POLICY, { policy: "{not json" }, {});
    });
});
