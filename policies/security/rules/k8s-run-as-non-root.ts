import { defineResourceRule } from "../../lib/rule";
import { WORKLOAD_TYPES, workloadPod } from "../../lib/k8s";
import { asNumber, at } from "../../lib/values";

/** APP-1: containers run as a non-root user (Checkov CKV_K8S_23/CKV_K8S_40, Pod Security "restricted"). */
export const k8sRunAsNonRoot = defineResourceRule({
    name: "k8s-run-as-non-root",
    description: "Workload containers run with runAsNonRoot: true (pod or container level) and never runAsUser 0.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Set spec.template.spec.securityContext { runAsNonRoot: true, runAsUser: <non-zero uid> } and build images with a non-root USER.",
    requirements: ["APP-1"],
    resourceTypes: WORKLOAD_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        const { pod, containers } = workload;
        const podNonRoot = at(pod, "securityContext.runAsNonRoot");
        const podUser = at(pod, "securityContext.runAsUser");
        for (const c of containers) {
            const own = at(c.spec, "securityContext.runAsNonRoot");
            const effective = own ?? podNonRoot;
            judge.expect(
                effective,
                `${c.where}.securityContext.runAsNonRoot`,
                (v) => v === true,
                `${c.where} does not set runAsNonRoot: true (at pod or container level).`,
            );
            const user = at(c.spec, "securityContext.runAsUser") ?? podUser;
            judge.expect(
                user,
                `${c.where}.securityContext.runAsUser`,
                (v) => v === undefined || asNumber(v) !== 0,
                `${c.where} runs as uid 0.`,
            );
        }
    },
});
