import { defineResourceRule } from "../../lib/rule";
import { WORKLOAD_TYPES, workloadPod } from "../../lib/k8s";
import { at } from "../../lib/values";

/** APP-1: every container sets allowPrivilegeEscalation: false explicitly (Checkov CKV_K8S_20, Pod Security "restricted"). */
export const k8sNoPrivilegeEscalation = defineResourceRule({
    name: "k8s-no-privilege-escalation",
    description: "Every workload container sets securityContext.allowPrivilegeEscalation to false.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: 'Set securityContext { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } on each container.',
    requirements: ["APP-1"],
    resourceTypes: WORKLOAD_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        const { containers } = workload;
        for (const c of containers) {
            judge.expect(
                at(c.spec, "securityContext.allowPrivilegeEscalation"),
                `${c.where}.securityContext.allowPrivilegeEscalation`,
                (v) => v === false,
                `${c.where} must set allowPrivilegeEscalation: false (the default allows it).`,
            );
        }
    },
});
