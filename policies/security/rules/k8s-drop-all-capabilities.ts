import { defineResourceRule } from "../../lib/rule";
import { WORKLOAD_TYPES, workloadPod } from "../../lib/k8s";
import { at, containsUnknown, list } from "../../lib/values";

/** Capabilities a container may add back after dropping ALL (Pod Security "restricted" allows only this one). */
const ALLOWED_ADD = ["NET_BIND_SERVICE"];

/** APP-1, POL-2: no Linux capabilities beyond the restricted profile (Checkov CKV_K8S_25/28/37/39, kube-linter, Polaris). */
export const k8sDropAllCapabilities = defineResourceRule({
    name: "k8s-drop-all-capabilities",
    description: "Every workload container drops ALL Linux capabilities and adds none back except NET_BIND_SERVICE.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        'Set securityContext.capabilities { drop: ["ALL"] } on each container; add NET_BIND_SERVICE only if it binds a port below 1024.',
    requirements: ["APP-1", "POL-2"],
    resourceTypes: WORKLOAD_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        for (const c of workload.containers) {
            const capabilities = at(c.spec, "securityContext.capabilities");
            if (containsUnknown(capabilities)) {
                judge.cannotJudge(`${c.where}.securityContext.capabilities`);
                continue;
            }
            const drop = list(at(capabilities, "drop")).map((x) => String(x).toUpperCase());
            if (!drop.includes("ALL")) {
                judge.violation(`${c.where} must drop ALL capabilities (securityContext.capabilities.drop: ["ALL"]).`);
            }
            const added = list(at(capabilities, "add"))
                .map((x) => String(x).toUpperCase().replace(/^CAP_/, ""))
                .filter((x) => !ALLOWED_ADD.includes(x));
            if (added.length > 0) {
                judge.violation(
                    `${c.where} adds capabilities ${added.join(", ")}; only ${ALLOWED_ADD.join(", ")} may be added back.`,
                );
            }
        }
    },
});
