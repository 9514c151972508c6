import { defineResourceRule } from "../../lib/rule";

/** DB-1: RDS storage encrypted at rest with a customer-managed KMS key (AWSGuard, cdk-nag RDS2, Checkov CKV_AWS_16/CKV_AWS_354). */
export const rdsStorageEncryptedCmk = defineResourceRule({
    name: "rds-storage-encrypted-cmk",
    description: "RDS instances encrypt storage with a customer-managed KMS key.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Set storageEncrypted: true and kmsKeyId to the ARN of the database CMK.",
    requirements: ["DB-1"],
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    validate({ props }, judge) {
        judge.expect(props["storageEncrypted"], "storageEncrypted", (v) => v === true, "storageEncrypted must be true.");
        judge.expect(
            props["kmsKeyId"],
            "kmsKeyId",
            (v) => typeof v === "string" && v !== "",
            "kmsKeyId must name a customer-managed KMS key (the AWS-managed aws/rds key cannot be governed or rotated by us).",
        );
    },
});
