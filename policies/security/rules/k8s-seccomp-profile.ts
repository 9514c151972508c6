import { defineResourceRule } from "../../lib/rule";
import { WORKLOAD_TYPES, workloadPod } from "../../lib/k8s";
import { at, isUnknown } from "../../lib/values";

const CONFINED = ["RuntimeDefault", "Localhost"];

/** APP-1, POL-2: every container runs under a seccomp profile (Checkov CKV_K8S_31, Polaris linuxHardening). */
export const k8sSeccompProfile = defineResourceRule({
    name: "k8s-seccomp-profile",
    description:
        "Every workload container runs with a seccomp profile of type RuntimeDefault or Localhost, set on the pod or on the container.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        "Set spec.securityContext.seccompProfile { type: RuntimeDefault } on the pod (or on each container); never Unconfined.",
    requirements: ["APP-1", "POL-2"],
    resourceTypes: WORKLOAD_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        const podType = at(workload.pod, "securityContext.seccompProfile.type");
        for (const c of workload.containers) {
            const own = at(c.spec, "securityContext.seccompProfile.type");
            if (isUnknown(own) || (own === undefined && isUnknown(podType))) {
                judge.cannotJudge(`${c.where} seccompProfile`);
                continue;
            }
            const effective = own ?? podType;
            if (typeof effective !== "string" || !CONFINED.includes(effective)) {
                judge.violation(
                    effective === undefined
                        ? `${c.where} has no seccomp profile (neither the pod nor the container sets securityContext.seccompProfile).`
                        : `${c.where} runs with seccomp profile ${JSON.stringify(effective)}; expected ${CONFINED.join(" or ")}.`,
                );
            }
        }
    },
});
