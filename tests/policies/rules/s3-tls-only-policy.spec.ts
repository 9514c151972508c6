import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "s3-tls-only-policy";
const TYPE = "aws:s3/bucketPolicy:BucketPolicy";
const NO_DENY = "no statement denies s3:* when aws:SecureTransport is false.";
const statement = (over: Record<string, unknown> = {}) => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::bookbuddy-media", "arn:aws:s3:::bookbuddy-media/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
    ...over,
});
const allow = {
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::111122223333:role/api" },
    Action: "s3:GetObject",
    Resource: "arn:aws:s3:::bookbuddy-media/*",
};
const pin = (statements: unknown[], verdict: Parameters<typeof pinResource>[3]) =>
    pinResource(
        RULE,
        TYPE,
        { bucket: "bookbuddy-media", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) },
        verdict,
    );

describe(`${RULE}: the deny statement for requests without TLS (STORE-1)`, () => {
    it("accepts the deny among other statements, with Action * or a boolean false, and next to entries that are not statements", async () => {
        await pin([allow, statement()], {});
        await pin([statement({ Action: "*" })], {});
        await pin([statement({ Action: ["s3:GetObject", "s3:*"] })], {});
        await pin([statement({ Condition: { Bool: { "aws:SecureTransport": [false] } } })], {});
        await pin([statement({ Condition: { Bool: { "aws:SecureTransport": ["true", "false"] } } })], {});
        await pin([null, "text", statement()], {});
    });

    it("reports an Allow with the same condition, a deny of TLS requests, a deny of some actions only, and a deny without condition", async () => {
        for (const s of [
            statement({ Effect: "Allow" }),
            statement({ Condition: { Bool: { "aws:SecureTransport": "true" } } }),
            statement({ Action: ["s3:GetObject", "s3:PutObject"] }),
            statement({ Condition: undefined }),
        ]) {
            await pin([s], { violations: [NO_DENY] });
        }
    });

    it("cannot judge a policy object with an unknown value inside", async () => {
        await pinResource(
            RULE,
            TYPE,
            { bucket: "bookbuddy-media", policy: { Version: "2012-10-17", Statement: [statement({ Resource: WIRE.unknown })] } },
            { cannotJudge: [cannotJudge(RULE, "policy")] },
        );
    });
});
