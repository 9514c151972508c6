import { defineStackRule, type StackResourceView } from "../../lib/rule";
import { BUCKET_ID_PROPS, BUCKET_TYPES, anyLink, ofTypes, refersTo } from "../../lib/stack";

const COMPANIONS: { label: string; types: string[] }[] = [
    { label: "a public-access block", types: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"] },
    {
        label: "an encryption configuration",
        types: [
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        ],
    },
    { label: "ownership controls", types: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"] },
    { label: "a bucket policy (TLS only)", types: ["aws:s3/bucketPolicy:BucketPolicy"] },
];

/**
 * STORE-1: every bucket of the program has its protective companion resources: public-access block,
 * default encryption, ownership controls and a (TLS-only) bucket policy. The companions' contents are
 * checked by the resource rules s3-public-access-block, s3-encryption-kms, s3-ownership-enforced and
 * s3-tls-only-policy.
 */
export const s3BucketProtectionCoverage = defineStackRule({
    name: "s3-bucket-protection-coverage",
    description:
        "Every S3 bucket has a public-access block, an encryption configuration, ownership controls and a bucket policy.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Declare the missing companion resource with bucket: <the bucket>.id (the storage component does this for every bucket).",
    requirements: ["STORE-1", "POL-2"],
    validate(resources, judge) {
        for (const bucket of ofTypes(resources, BUCKET_TYPES)) {
            for (const companion of COMPANIONS) {
                const candidates: StackResourceView[] = ofTypes(resources, companion.types);
                let link = anyLink(candidates.map((c) => refersTo(c, "bucket", bucket, BUCKET_ID_PROPS)));
                if (
                    link !== "yes" &&
                    companion.label === "an encryption configuration" &&
                    bucket.props["serverSideEncryptionConfiguration"] !== undefined
                ) {
                    link = "yes"; // inline (deprecated) encryption on the bucket itself, checked by s3-encryption-kms
                }
                if (link === "unknown") {
                    judge.cannotJudge(`whether ${companion.label} belongs to the bucket`, bucket.urn);
                } else if (link === "no") {
                    judge.violation(`bucket ${bucket.name} has no ${companion.label}.`, bucket.urn);
                }
            }
        }
    },
});
