import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "s3-encryption-kms";
const V2 = "aws:s3/bucketV2:BucketV2";
const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-444455556666";
const good = {
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true }],
};

describe(`${RULE}: BucketV2's inline list while values are unknown (STORE-1, POL-4)`, () => {
    it("cannot judge the rules when the whole list or any one configuration is unknown", async () => {
        const unknownRules = { cannotJudge: [cannotJudge(RULE, "rules")] };
        await pinResource(RULE, V2, { bucket: "b", serverSideEncryptionConfigurations: WIRE.unknown }, unknownRules);
        await pinResource(RULE, V2, { bucket: "b", serverSideEncryptionConfigurations: [good, WIRE.unknown] }, unknownRules);
        await pinResource(RULE, V2, { bucket: "b", serverSideEncryptionConfigurations: [WIRE.unknown, good] }, unknownRules);
    });

    it("judges every rule of every known configuration", async () => {
        await pinResource(RULE, V2, { bucket: "b", serverSideEncryptionConfigurations: [good, good] }, {});
    });
});
