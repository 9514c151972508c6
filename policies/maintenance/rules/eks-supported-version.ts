import { defineResourceRule } from "../../lib/rule";

/** K8S-1, MNT-2: the pinned Kubernetes version is one in standard support (config list; AWSGuard, Checkov CKV_AWS_339). */
export const eksSupportedVersion = defineResourceRule({
    name: "eks-supported-version",
    description: "EKS clusters pin a Kubernetes version from the supported list in policy config.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Pin eks.version in stack config to a supported version; upgrade one minor version at a time, staging first.",
    requirements: ["K8S-1", "MNT-2"],
    config: {
        supportedVersions: {
            schema: {
                type: "array",
                items: { type: "string", pattern: "^1\\.\\d+$" },
                minItems: 1,
                default: ["1.32", "1.33", "1.34", "1.35"],
                description: "Kubernetes minor versions in EKS standard support.",
            },
        },
    },
    resourceTypes: ["aws:eks/cluster:Cluster"],
    validate({ props }, judge) {
        const supported = judge.strings("supportedVersions");
        judge.expect(
            props["version"],
            "version",
            (v) => typeof v === "string" && supported.includes(v),
            `version must be pinned to one of ${supported.join(", ")} (got ${String(props["version"] ?? "unset, which floats to the latest")}).`,
        );
    },
});
