import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "s3-versioning";
const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";

describe(`${RULE}: versioning in every form (STORE-1, DR-1)`, () => {
    it("judges the BucketVersioning resources", async () => {
        for (const type of ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"]) {
            await pinResource(RULE, type, { bucket: "b", versioningConfiguration: { status: "Enabled" } }, {});
            await pinResource(
                RULE,
                type,
                { bucket: "b", versioningConfiguration: { status: "Suspended" } },
                { violations: ["versioningConfiguration.status must be Enabled."] },
            );
        }
    });

    it("judges inline versioning only on the form that writes it, and leaves buckets without it to BucketVersioning", async () => {
        await pinResource(RULE, BUCKET, { bucket: "b" }, {});
        await pinResource(RULE, BUCKET_V2, { bucket: "b" }, {});
        await pinResource(RULE, BUCKET_V2, { bucket: "b", versioning: { enabled: false } }, {});
        await pinResource(RULE, BUCKET, { bucket: "b", versionings: [{ enabled: false }] }, {});
    });

    it("Bucket: versioning.enabled must be true", async () => {
        await pinResource(RULE, BUCKET, { bucket: "b", versioning: { enabled: true } }, {});
        await pinResource(
            RULE,
            BUCKET,
            { bucket: "b", versioning: { enabled: false } },
            { violations: ["inline versioning.enabled must be true."] },
        );
        await pinResource(
            RULE,
            BUCKET,
            { bucket: "b", versioning: { enabled: WIRE.unknown } },
            { cannotJudge: [cannotJudge(RULE, "versioning.enabled")] },
        );
    });

    it("BucketV2: every versionings entry must be enabled", async () => {
        await pinResource(RULE, BUCKET_V2, { bucket: "b", versionings: [{ enabled: true }] }, {});
        await pinResource(
            RULE,
            BUCKET_V2,
            { bucket: "b", versionings: [{ enabled: true }, { enabled: false }] },
            { violations: ["inline versionings[1].enabled must be true."] },
        );
        await pinResource(
            RULE,
            BUCKET_V2,
            { bucket: "b", versionings: [{ enabled: WIRE.unknown }] },
            { cannotJudge: [cannotJudge(RULE, "versionings[0].enabled")] },
        );
        await pinResource(
            RULE,
            BUCKET_V2,
            { bucket: "b", versionings: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "versionings")] },
        );
    });
});
