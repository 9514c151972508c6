import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "s3-encryption-kms";
const CONFIG = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-444455556666";
const rule = (over: Record<string, unknown> = {}, bucketKeyEnabled: unknown = true) => ({
    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY, ...over },
    bucketKeyEnabled,
});

describe(`${RULE}: inline and separate encryption rules (STORE-1)`, () => {
    it("judges inline encryption on both bucket types, and leaves a bucket without it to the companion resource", async () => {
        const aes = ["rules[0]: sseAlgorithm must be aws:kms (SSE-S3/AES256 cannot be governed by our key policy)."];
        // Bucket writes the inline form as one object; BucketV2 as a list of configurations with a list of rules.
        await pinResource(
            RULE,
            "aws:s3/bucket:Bucket",
            { bucket: "b", serverSideEncryptionConfiguration: { rule: rule({ sseAlgorithm: "AES256" }) } },
            { violations: aes },
        );
        await pinResource(
            RULE,
            "aws:s3/bucketV2:BucketV2",
            { bucket: "b", serverSideEncryptionConfigurations: [{ rules: [rule({ sseAlgorithm: "AES256" })] }] },
            { violations: aes },
        );
        for (const type of ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]) {
            await pinResource(RULE, type, { bucket: "b" }, {});
        }
        await pinResource(RULE, "aws:s3/bucketV2:BucketV2", { bucket: "b", serverSideEncryptionConfigurations: [] }, {});
    });

    it("skips entries that are not rules, and accepts DSSE", async () => {
        await pinResource(RULE, CONFIG, { bucket: "b", rules: ["text", rule({ sseAlgorithm: "aws:kms:dsse" })] }, {});
    });

    it("wants a customer-managed key: not empty, not the AWS-managed alias by ARN", async () => {
        const notCmk = "rules[0]: kmsMasterKeyId must name a customer-managed key.";
        await pinResource(RULE, CONFIG, { bucket: "b", rules: [rule({ kmsMasterKeyId: "" })] }, { violations: [notCmk] });
        await pinResource(
            RULE,
            CONFIG,
            { bucket: "b", rules: [rule({ kmsMasterKeyId: "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3" })] },
            { violations: [notCmk] },
        );
        await pinResource(
            RULE,
            CONFIG,
            { bucket: "b", rules: [rule({}, false)] },
            { violations: ["rules[0]: bucketKeyEnabled must be true (cuts KMS requests and cost)."] },
        );
    });

    it("names the unknown setting of the rule it cannot judge", async () => {
        await pinResource(
            RULE,
            CONFIG,
            { bucket: "b", rules: [rule({ sseAlgorithm: WIRE.unknown })] },
            { cannotJudge: [cannotJudge(RULE, "rules[0].sseAlgorithm")] },
        );
        await pinResource(
            RULE,
            CONFIG,
            { bucket: "b", rules: [rule({ kmsMasterKeyId: WIRE.unknown })] },
            { cannotJudge: [cannotJudge(RULE, "rules[0].kmsMasterKeyId")] },
        );
        await pinResource(
            RULE,
            CONFIG,
            { bucket: "b", rules: [rule({}, WIRE.unknown)] },
            { cannotJudge: [cannotJudge(RULE, "rules[0].bucketKeyEnabled")] },
        );
    });
});
