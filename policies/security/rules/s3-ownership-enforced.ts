import { defineResourceRule } from "../../lib/rule";
import { at } from "../../lib/values";

/** STORE-1: ACLs disabled through BucketOwnerEnforced (Checkov CKV2_AWS_65, AWSGuard). */
export const s3OwnershipEnforced = defineResourceRule({
    name: "s3-ownership-enforced",
    description: "S3 ownership controls use BucketOwnerEnforced (ACLs disabled).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: 'Set rule.objectOwnership to "BucketOwnerEnforced" on the aws.s3.BucketOwnershipControls.',
    requirements: ["STORE-1"],
    resourceTypes: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    validate({ props }, judge) {
        judge.expect(
            at(props, "rule.objectOwnership"),
            "rule.objectOwnership",
            (v) => v === "BucketOwnerEnforced",
            "rule.objectOwnership must be BucketOwnerEnforced.",
        );
    },
});
