import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "resource-policy-no-public-principal";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const PERMISSION = "aws:lambda/permission:Permission";
const document = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const reader = { Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject" };

describe(`${RULE}: Lambda permissions (SEC-4, POL-2)`, () => {
    it("reports principal *, accepts a named principal, and cannot judge an unknown one", async () => {
        const permission = (principal: unknown) => ({ action: "lambda:InvokeFunction", function: "api", principal });
        await pinResource(RULE, PERMISSION, permission("*"), {
            violations: ['the permission lets anyone (principal "*") invoke the function.'],
        });
        await pinResource(RULE, PERMISSION, permission("apigateway.amazonaws.com"), {});
        await pinResource(RULE, PERMISSION, permission(WIRE.unknown), { cannotJudge: [cannotJudge(RULE, "principal")] });
    });
});

describe(`${RULE}: policy documents (SEC-4, STORE-1, POL-2)`, () => {
    it("reports a document that is not a policy, and cannot judge an unknown one", async () => {
        await pinResource(
            RULE,
            BUCKET_POLICY,
            { bucket: "media", policy: "not json" },
            { violations: ["policy is not a policy document."] },
        );
        await pinResource(
            RULE,
            BUCKET_POLICY,
            { bucket: "media", policy: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "policy")] },
        );
    });

    it("reports an Allow to everyone with its action, or an empty one when it has none", async () => {
        await pinResource(
            RULE,
            BUCKET_POLICY,
            {
                bucket: "media",
                policy: document(
                    reader,
                    { Effect: "Deny", Principal: "*", Action: "s3:*" },
                    { Effect: "Allow", Principal: "*", Action: ["s3:GetObject"] },
                    { Effect: "Allow", Principal: { AWS: "*" } },
                ),
            },
            {
                violations: [
                    'policy Statement[2] allows Principal "*" ["s3:GetObject"].',
                    'policy Statement[3] allows Principal "*" "".',
                ],
            },
        );
    });

    it("cannot judge a document with an unknown principal inside", async () => {
        await pinResource(
            RULE,
            BUCKET_POLICY,
            { bucket: "media", policy: { Version: "2012-10-17", Statement: [reader, { ...reader, Principal: WIRE.unknown }] } },
            { cannotJudge: [cannotJudge(RULE, "policy")] },
        );
    });
});
