/**
 * The IAM policy evaluator of the specs (tests/support/iam.ts; SEC-4, SEC-7, DEP-1): pbac with every key of a
 * condition block evaluated, as IAM does. pbac alone checks only a block's first key; these cases would let a
 * trust policy that names the wrong subject pass.
 */
import { strict as assert } from "assert";
import { evaluator, pbacForm, PolicyDocument } from "../support/iam";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PBAC = require("pbac");

const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE";
const PROVIDER = `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`;

/** A web-identity trust of the provider under the given condition. */
function webIdentityTrust(condition: Record<string, Record<string, unknown>>): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: {
            Effect: "Allow",
            Principal: { Federated: PROVIDER },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: condition,
        },
    };
}

/** Subject and audience in one StringEquals block, the audience first. */
const trust = webIdentityTrust({
    StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com", [`${ISSUER}:sub`]: "system:serviceaccount:app:api" },
});

function request(sub: string, aud = "sts.amazonaws.com") {
    return { action: "sts:AssumeRoleWithWebIdentity", principal: { Federated: [PROVIDER] }, context: { [ISSUER]: { sub, aud } } };
}

describe("the specs' IAM evaluator checks every key of a condition block (SEC-4, SEC-7, DEP-1)", () => {
    it("pbac alone admits the wrong subject when the audience comes first: the limit this evaluator removes", () => {
        assert.equal(new PBAC([pbacForm(trust)]).evaluate(request("system:serviceaccount:other:intruder")), true);
    });

    it("admits only when subject and audience both match", () => {
        const iam = evaluator([trust]);
        assert.equal(iam.evaluate(request("system:serviceaccount:app:api")), true);
        assert.equal(iam.evaluate(request("system:serviceaccount:other:intruder")), false);
        assert.equal(iam.evaluate(request("system:serviceaccount:app:api", "https://example.com")), false);
    });

    it("keeps IAM's OR over a key's values and AND over blocks, set operators included", () => {
        const iam = evaluator([
            webIdentityTrust({
                StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" },
                StringLike: { [`${ISSUER}:sub`]: ["system:serviceaccount:app:*", "system:serviceaccount:jobs:backup"] },
            }),
        ]);
        assert.equal(iam.evaluate(request("system:serviceaccount:app:api")), true);
        assert.equal(iam.evaluate(request("system:serviceaccount:jobs:backup")), true);
        assert.equal(iam.evaluate(request("system:serviceaccount:jobs:other")), false);
        assert.equal(iam.evaluate(request("system:serviceaccount:app:api", "other")), false);
        // A set operator with two keys: each must match one of its values.
        const set = evaluator([
            webIdentityTrust({
                "ForAnyValue:StringEquals": {
                    [`${ISSUER}:aud`]: ["sts.amazonaws.com"],
                    [`${ISSUER}:sub`]: ["system:serviceaccount:app:api", "system:serviceaccount:app:worker"],
                },
            }),
        ]);
        assert.equal(set.evaluate(request("system:serviceaccount:app:worker")), true);
        assert.equal(set.evaluate(request("system:serviceaccount:other:intruder")), false);
        assert.equal(set.evaluate(request("system:serviceaccount:app:api", "other")), false);
    });

    it("a Deny whose block has two keys applies only when both match", () => {
        const iam = evaluator([
            {
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::media/*" },
                    {
                        Effect: "Deny",
                        Action: "s3:GetObject",
                        Resource: "arn:aws:s3:::media/*",
                        Condition: { StringEquals: { "aws:SourceVpc": "vpc-1", "aws:PrincipalTag/team": "guest" } },
                    },
                ],
            },
        ]);
        const get = (context: Record<string, unknown>) =>
            iam.evaluate({ action: "s3:GetObject", resource: "arn:aws:s3:::media/a.jpg", context });
        assert.equal(get({ aws: { SourceVpc: "vpc-1", "PrincipalTag/team": "guest" } }), false);
        assert.equal(get({ aws: { SourceVpc: "vpc-1", "PrincipalTag/team": "staff" } }), true);
    });
});
