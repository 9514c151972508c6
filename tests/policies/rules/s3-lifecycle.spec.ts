import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "s3-lifecycle";
const LC = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const NONCURRENT = "no enabled rule expires noncurrent versions (versioned buckets grow forever).";
const MULTIPART = "no enabled rule aborts incomplete multipart uploads.";
const expire = { noncurrentVersionExpiration: { noncurrentDays: 90 } };
const abort = { abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } };

describe(`${RULE}: enabled rules for noncurrent versions and multipart uploads (STORE-1)`, () => {
    it("wants each of the two in an enabled rule", async () => {
        await pinResource(
            RULE,
            LC,
            { bucket: "b", rules: [{ id: "a", status: "Enabled", ...expire }] },
            { violations: [MULTIPART] },
        );
        await pinResource(
            RULE,
            LC,
            { bucket: "b", rules: [{ id: "a", status: "Enabled", ...abort }] },
            { violations: [NONCURRENT] },
        );
        await pinResource(
            RULE,
            LC,
            {
                bucket: "b",
                rules: [
                    { id: "a", status: "Enabled", ...abort },
                    { id: "b", status: "Disabled", ...expire },
                ],
            },
            { violations: [NONCURRENT] },
        );
        await pinResource(
            RULE,
            LC,
            {
                bucket: "b",
                rules: [
                    { id: "a", status: "Enabled", ...abort },
                    { id: "b", status: "Enabled", ...expire },
                ],
            },
            {},
        );
    });

    it("cannot judge when any rule's status is unknown", async () => {
        await pinResource(
            RULE,
            LC,
            {
                bucket: "b",
                rules: [
                    { id: "a", status: WIRE.unknown, ...expire },
                    { id: "b", status: "Enabled", ...abort },
                ],
            },
            { cannotJudge: [cannotJudge(RULE, "rules")] },
        );
    });
});
