import { defineResourceRule } from "../../lib/rule";
import { isUnknown, list } from "../../lib/values";

const ALL_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** K8S-1: all five control-plane log types are enabled (AWSGuard, cdk-nag EKS2, Checkov CKV_AWS_37). */
export const eksControlPlaneLogging = defineResourceRule({
    name: "eks-control-plane-logging",
    description: "EKS clusters enable all five control-plane log types.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: `Set enabledClusterLogTypes to ${JSON.stringify(ALL_LOG_TYPES)} and create the /aws/eks/<name>/cluster log group with 90-day retention.`,
    requirements: ["K8S-1"],
    resourceTypes: ["aws:eks/cluster:Cluster"],
    validate({ props }, judge) {
        const types = props["enabledClusterLogTypes"];
        if (isUnknown(types)) {
            judge.cannotJudge("enabledClusterLogTypes");
            return;
        }
        const missing = ALL_LOG_TYPES.filter((t) => !list(types).includes(t));
        if (missing.length > 0) {
            judge.violation(`enabledClusterLogTypes lacks ${missing.join(", ")}.`);
        }
    },
});
