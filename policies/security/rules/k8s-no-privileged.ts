import { defineResourceRule } from "../../lib/rule";
import { WORKLOAD_TYPES, workloadPod } from "../../lib/k8s";
import { at } from "../../lib/values";

/** APP-1: no privileged containers and no host namespaces (Checkov CKV_K8S_16/17/18/19, Pod Security "baseline"). */
export const k8sNoPrivileged = defineResourceRule({
    name: "k8s-no-privileged",
    description: "Workload containers are not privileged and pods do not share the host network, PID or IPC namespaces.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation:
        "Remove securityContext.privileged and hostNetwork/hostPID/hostIPC; grant specific capabilities only if truly needed.",
    requirements: ["APP-1"],
    resourceTypes: WORKLOAD_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        const { pod, containers } = workload;
        for (const key of ["hostNetwork", "hostPID", "hostIPC"]) {
            judge.expect(at(pod, key), key, (v) => v !== true, `${key} must not be true.`);
        }
        for (const c of containers) {
            judge.expect(
                at(c.spec, "securityContext.privileged"),
                `${c.where}.securityContext.privileged`,
                (v) => v !== true,
                `${c.where} is privileged.`,
            );
        }
    },
});
