import { defineResourceRule } from "../../lib/rule";
import { at, isUnknown, list } from "../../lib/values";

/** K8S-1: Kubernetes secrets are envelope-encrypted with a KMS key (AWSGuard, Checkov CKV_AWS_58). */
export const eksSecretsEncryption = defineResourceRule({
    name: "eks-secrets-encryption",
    description: "EKS clusters envelope-encrypt Kubernetes secrets with a KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: 'Set encryptionConfig { resources: ["secrets"], provider: { keyArn: <cluster CMK ARN> } }.',
    requirements: ["K8S-1"],
    resourceTypes: ["aws:eks/cluster:Cluster"],
    validate({ props }, judge) {
        const config = props["encryptionConfig"];
        if (config === undefined || config === null) {
            judge.violation("encryptionConfig is missing: secrets are stored without envelope encryption.");
            return;
        }
        const resources = at(config, "resources");
        if (isUnknown(config) || isUnknown(resources)) {
            judge.cannotJudge("encryptionConfig.resources");
        } else if (!list(resources).includes("secrets")) {
            judge.violation('encryptionConfig.resources must include "secrets".');
        }
        judge.expect(
            at(config, "provider.keyArn"),
            "encryptionConfig.provider.keyArn",
            (v) => typeof v === "string" && v !== "",
            "encryptionConfig.provider.keyArn must name a KMS key.",
        );
    },
});
