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

/**
 * The `restricted` Pod Security Standard for one container of a one-shot or scheduled Job (APP-1): no privilege
 * escalation, a read-only root file system, a non-root user and no Linux capabilities. A fresh object per call.
 */
export function restrictedContainerSecurityContext(): Record<string, unknown> {
    return { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } };
}
