/**
 * The anchor rule sets of the policy packs (POL-2, #17): which upstream project, repository and release each
 * rule list in upstream/<id>.json was read from. Bumping a `ref` without regenerating its data file fails
 * tests/policies/anchors.spec.ts; regenerate with extract.ts from a clone of the repository at that ref.
 */
export interface AnchorSource {
    /** File stem of upstream/<id>.json and mapping/<id>.json. */
    id: string;
    /** Name shown in docs/policy-anchors.md. */
    label: string;
    /** Public repository the rules were read from. */
    repository: string;
    /** Release tag the data was extracted at. */
    ref: string;
    /** Folders of the repository whose rule files are read. */
    paths: string[];
}

export const ANCHOR_SOURCES: AnchorSource[] = [
    {
        id: "checkov",
        label: "Checkov",
        repository: "https://github.com/bridgecrewio/checkov",
        ref: "3.3.13",
        paths: [
            "checkov/terraform/checks/resource/aws",
            "checkov/terraform/checks/graph_checks/aws",
            "checkov/cloudformation/checks/resource/aws",
            "checkov/kubernetes/checks/resource/k8s",
            "checkov/kubernetes/checks/graph_checks",
        ],
    },
    {
        id: "cdk-nag",
        label: "cdk-nag AwsSolutions",
        repository: "https://github.com/cdklabs/cdk-nag",
        ref: "v3.0.1",
        paths: ["src/packs/aws-solutions.ts"],
    },
    {
        id: "aws-guard",
        label: "AWSGuard (aws-guard-rules-registry)",
        repository: "https://github.com/aws-cloudformation/aws-guard-rules-registry",
        // The last release tag (1.0.2) predates most of the registry's rules; main at this commit is read instead.
        ref: "7f7340c26ae5d5e8874651dbffeb12e0e9f505b6",
        paths: ["rules/aws"],
    },
    {
        id: "pulumi-aws",
        label: "Pulumi compliance policies (AWS)",
        repository: "https://github.com/pulumi/compliance-policies",
        ref: "aws-policies-0.0.23",
        paths: ["vendor-aws/aws"],
    },
    {
        id: "pulumi-kubernetes",
        label: "Pulumi compliance policies (Kubernetes)",
        repository: "https://github.com/pulumi/compliance-policies",
        ref: "kubernetes-policies-0.1.5",
        paths: ["vendor-kubernetes/kubernetes"],
    },
    {
        id: "kube-linter",
        label: "kube-linter",
        repository: "https://github.com/stackrox/kube-linter",
        ref: "v0.8.3",
        paths: ["pkg/builtinchecks/yamls"],
    },
    {
        id: "polaris",
        label: "Polaris",
        repository: "https://github.com/FairwindsOps/polaris",
        ref: "v10.2.2",
        paths: ["pkg/config/checks"],
    },
];
