import { WIRE, pinStack, resource } from "./pin";

const RULE = "s3-bucket-protection-coverage";
const bucket = (extra: Record<string, unknown> = {}) =>
    resource("aws:s3/bucket:Bucket", "media", { bucket: "bookbuddy-media", ...extra });
const companion = (type: string, bucketRef: unknown = "bookbuddy-media") =>
    resource(type, type.split(":").pop()!, { bucket: bucketRef });
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const SSE_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
const INLINE_SSE = {
    serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } },
};

describe(`${RULE}: protective companions of every bucket (STORE-1)`, () => {
    it("accepts the V2 encryption resource and inline encryption on the bucket", async () => {
        await pinStack(RULE, [bucket(), companion(PAB), companion(SSE_V2), companion(OWNERSHIP), companion(POLICY)], {});
        await pinStack(RULE, [bucket(INLINE_SSE), companion(PAB), companion(OWNERSHIP), companion(POLICY)], {});
        await pinStack(
            RULE,
            [bucket(INLINE_SSE), companion(PAB), companion(SSE, WIRE.unknown), companion(OWNERSHIP), companion(POLICY)],
            {},
        );
    });

    it("lets inline encryption stand in for the encryption resource only", async () => {
        const b = bucket(INLINE_SSE);
        await pinStack(RULE, [b], {
            violations: [
                [b, "bucket media has no a public-access block."],
                [b, "bucket media has no ownership controls."],
                [b, "bucket media has no a bucket policy (TLS only)."],
            ],
        });
    });

    it("names a bucket without encryption exactly", async () => {
        const b = bucket();
        await pinStack(RULE, [b, companion(PAB), companion(OWNERSHIP), companion(POLICY)], {
            violations: [[b, "bucket media has no an encryption configuration."]],
        });
    });
});
