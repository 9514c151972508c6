import { defineResourceRule } from "../../lib/rule";
import { WORKLOAD_TYPES, workloadPod } from "../../lib/k8s";
import { at } from "../../lib/values";

/** APP-1, SEC-7, POL-2: no Kubernetes API credential in pods that do not call the API (Checkov CKV_K8S_38, Polaris). */
export const k8sNoServiceAccountToken = defineResourceRule({
    name: "k8s-no-service-account-token",
    description:
        "Workload pods set automountServiceAccountToken: false (the program's workloads do not call the Kubernetes API).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        "Set spec.automountServiceAccountToken: false on the pod template; a workload that calls the API needs an exemption with its reason.",
    requirements: ["APP-1", "SEC-7", "POL-2"],
    resourceTypes: WORKLOAD_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        judge.expect(
            at(workload.pod, "automountServiceAccountToken"),
            "automountServiceAccountToken",
            (v) => v === false,
            "the pod must set automountServiceAccountToken: false (by default every pod gets an API token of its ServiceAccount).",
        );
    },
});
