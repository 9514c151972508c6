import { defineResourceRule } from "../../lib/rule";
import { WORKLOAD_TYPES, workloadPod } from "../../lib/k8s";
import { at, isRecord, isUnknown, list } from "../../lib/values";

/** APP-1, POL-2: pods reach nothing of their node (Checkov CKV_K8S_26/27, kube-linter host mounts, Polaris hostPath/hostPort). */
export const k8sNoHostAccess = defineResourceRule({
    name: "k8s-no-host-access",
    description: "Workload pods mount no hostPath volume and their containers bind no hostPort.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Use emptyDir, ConfigMap, Secret or persistent volumes instead of hostPath, and a Service instead of hostPort.",
    requirements: ["APP-1", "POL-2"],
    resourceTypes: WORKLOAD_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        const volumes = at(workload.pod, "volumes");
        if (isUnknown(volumes)) {
            judge.cannotJudge("volumes");
        } else {
            list(volumes).forEach((v, i) => {
                if (isUnknown(v)) {
                    judge.cannotJudge(`volumes[${i}]`);
                } else if (isRecord(v) && v["hostPath"] !== undefined) {
                    judge.violation(
                        `volumes[${i}]${typeof v["name"] === "string" ? ` (${v["name"]})` : ""} mounts hostPath ${JSON.stringify(at(v, "hostPath.path") ?? "")}.`,
                    );
                }
            });
        }
        for (const c of workload.containers) {
            const ports = c.spec["ports"];
            if (isUnknown(ports)) {
                judge.cannotJudge(`${c.where}.ports`);
                continue;
            }
            list(ports).forEach((p, i) => {
                judge.expect(
                    at(p, "hostPort"),
                    `${c.where}.ports[${i}].hostPort`,
                    (v) => v === undefined || v === null || v === 0,
                    `${c.where}.ports[${i}] binds hostPort ${JSON.stringify(at(p, "hostPort"))}.`,
                );
            });
        }
    },
});
