import { defineResourceRule } from "../../lib/rule";
import { workloadPod } from "../../lib/k8s";

/** APP-1: Deployment containers have readiness and liveness probes (Checkov CKV_K8S_8/CKV_K8S_9). */
export const k8sProbes = defineResourceRule({
    name: "k8s-probes",
    description: "Deployment containers (not init containers) define readinessProbe and livenessProbe.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Add readinessProbe and livenessProbe (httpGet /health) to each container of the Deployment.",
    requirements: ["APP-1", "HC-1"],
    resourceTypes: ["kubernetes:apps/v1:Deployment"],
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        const { containers } = workload;
        for (const c of containers.filter((x) => !x.init)) {
            for (const probe of ["readinessProbe", "livenessProbe"]) {
                judge.expect(c.spec[probe], `${c.where}.${probe}`, (v) => v !== undefined && v !== null, `${c.where} has no ${probe}.`);
            }
        }
    },
});
