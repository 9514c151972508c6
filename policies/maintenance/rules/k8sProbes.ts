import { defineResourceRule } from "../../lib/rule";
import { containersOf, podSpecOf } from "../../lib/k8s";
import { isUnknown } from "../../lib/values";

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
        const pod = podSpecOf(type, props);
        if (isUnknown(pod)) {
            judge.cannotJudge("pod spec");
            return;
        }
        const { containers, unknown } = containersOf(pod);
        if (unknown) {
            judge.cannotJudge("containers");
        }
        for (const c of containers.filter((x) => !x.init)) {
            for (const probe of ["readinessProbe", "livenessProbe"]) {
                judge.expect(c.spec[probe], `${c.where}.${probe}`, (v) => v !== undefined && v !== null, `${c.where} has no ${probe}.`);
            }
        }
    },
});
