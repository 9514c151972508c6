import { pinResource } from "./pin";

const RULE = "s3-tls-only-policy";
const NO_DENY = "no statement denies s3:* when aws:SecureTransport is false.";
const NOT_JSON = "policy is not a JSON policy document.";
const ALLOW_ONLY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::bookbuddy-media/*" }],
});

describe(`${RULE}: inline policies of Bucket and BucketV2 (STORE-1)`, () => {
    it("leaves a bucket without an inline policy (missing or empty) to its separate BucketPolicy", async () => {
        for (const type of ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]) {
            await pinResource(RULE, type, { bucket: "bookbuddy-media" }, {});
            await pinResource(RULE, type, { bucket: "bookbuddy-media", policy: "" }, {});
        }
    });

    it("judges an inline policy like a BucketPolicy", async () => {
        await pinResource(
            RULE,
            "aws:s3/bucketV2:BucketV2",
            { bucket: "bookbuddy-media", policy: ALLOW_ONLY },
            { violations: [NO_DENY] },
        );
        await pinResource(
            RULE,
            "aws:s3/bucket:Bucket",
            { bucket: "bookbuddy-media", policy: "not json" },
            { violations: [NOT_JSON] },
        );
    });

    it("reports an empty or missing policy on a BucketPolicy itself", async () => {
        await pinResource(
            RULE,
            "aws:s3/bucketPolicy:BucketPolicy",
            { bucket: "bookbuddy-media", policy: "" },
            { violations: [NOT_JSON] },
        );
        await pinResource(RULE, "aws:s3/bucketPolicy:BucketPolicy", { bucket: "bookbuddy-media" }, { violations: [NOT_JSON] });
    });
});
