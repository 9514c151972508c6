import { defineResourceRule } from "../../lib/rule";
import { LONG_RUNNING_TYPES, workloadPod } from "../../lib/k8s";

/**
 * APP-1: containers of long-running workloads (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets,
 * ReplicationControllers, Argo Rollouts, every API version) have readiness and liveness probes (Checkov
 * CKV_K8S_8/CKV_K8S_9, Polaris readinessProbeMissing/livenessProbeMissing). Jobs and CronJobs run to completion.
 */
export const k8sProbes = defineResourceRule({
    name: "k8s-probes",
    description: "Containers (not init containers) of long-running workloads define readinessProbe and livenessProbe.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Add readinessProbe and livenessProbe (httpGet /health) to each container of the workload.",
    requirements: ["APP-1", "HC-1"],
    resourceTypes: LONG_RUNNING_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        const { containers } = workload;
        for (const c of containers.filter((x) => !x.init)) {
            for (const probe of ["readinessProbe", "livenessProbe"]) {
                judge.expect(
                    c.spec[probe],
                    `${c.where}.${probe}`,
                    (v) => v !== undefined && v !== null,
                    `${c.where} has no ${probe}.`,
                );
            }
        }
    },
});
