import { defineResourceRule } from "../../lib/rule";
import { WORKLOAD_TYPES, workloadPod } from "../../lib/k8s";
import { at } from "../../lib/values";

/** APP-1, POL-2: containers cannot write their image's file system (Checkov CKV_K8S_22, kube-linter, Polaris, Pulumi). */
export const k8sReadOnlyRootFs = defineResourceRule({
    name: "k8s-read-only-root-fs",
    description: "Every workload container (and init container) sets securityContext.readOnlyRootFilesystem to true.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        "Set securityContext.readOnlyRootFilesystem: true on each container and mount an emptyDir where it must write (e.g. /tmp).",
    requirements: ["APP-1", "POL-2"],
    resourceTypes: WORKLOAD_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        for (const c of workload.containers) {
            judge.expect(
                at(c.spec, "securityContext.readOnlyRootFilesystem"),
                `${c.where}.securityContext.readOnlyRootFilesystem`,
                (v) => v === true,
                `${c.where} must set readOnlyRootFilesystem: true (the default is a writable root file system).`,
            );
        }
    },
});
