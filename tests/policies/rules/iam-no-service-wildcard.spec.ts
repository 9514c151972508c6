import { pinResource } from "./pin";

const RULE = "iam-no-service-wildcard";
const POLICY = "aws:iam/policy:Policy";
const doc = (...statements: Record<string, unknown>[]) => ({
    name: "p",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
});

describe(`${RULE}: service-wide actions on every resource (SEC-4)`, () => {
    it("names every service wildcard of an Allow on *", async () => {
        await pinResource(RULE, POLICY, doc({ Effect: "Allow", Action: ["s3:*", "sqs:*", "s3:GetObject"], Resource: "*" }), {
            violations: ['policy Statement[0] allows s3:*, sqs:* on "*".'],
        });
    });

    it("leaves a Deny, specific actions and partial wildcards alone", async () => {
        await pinResource(RULE, POLICY, doc({ Effect: "Deny", Action: "s3:*", Resource: "*" }), {});
        await pinResource(
            RULE,
            POLICY,
            doc({ Effect: "Allow", Action: ["s3:GetObject", "s3:*Object", "s3:Get:*"], Resource: "*" }),
            {},
        );
    });

    it("leaves a document that is not JSON to the rules that judge its form", async () => {
        await pinResource(RULE, POLICY, { name: "p", policy: "{not json" }, {});
    });
});
