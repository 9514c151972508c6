/**
 * Kubernetes settings every workload namespace of the program shares (APP-1, K8S-1): Pod Security Admission
 * labels, so the API server itself refuses pods that break the profile.
 */

/** Pod Security Standard profile a namespace enforces. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/**
 * Labels enforcing a Pod Security Standard on a namespace, pinned to the cluster's current profile version,
 * and auditing and warning against `restricted` even where a looser level must be enforced (host log readers,
 * node exporters).
 */
export function podSecurityLabels(enforce: PodSecurityLevel = "restricted"): Record<string, string> {
    return {
        "pod-security.kubernetes.io/enforce": enforce,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
    };
}
