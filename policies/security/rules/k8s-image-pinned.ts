import { defineResourceRule } from "../../lib/rule";
import { WORKLOAD_TYPES, imageReference, workloadPod } from "../../lib/k8s";

/** APP-1: images carry an explicit tag other than `latest`, or a digest (Checkov CKV_K8S_14/CKV_K8S_43). */
export const k8sImagePinned = defineResourceRule({
    name: "k8s-image-pinned",
    description: "Workload images name an explicit tag that is not 'latest', or a digest.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Use the image tag from stack config (e.g. <account>.dkr.ecr.<region>.amazonaws.com/api:1.4.2) or an @sha256 digest.",
    requirements: ["APP-1", "REG-1"],
    resourceTypes: WORKLOAD_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        const { containers } = workload;
        for (const c of containers) {
            judge.expect(
                c.spec["image"],
                `${c.where}.image`,
                (v) => {
                    if (typeof v !== "string" || v === "") {
                        return false;
                    }
                    const { tag, digest } = imageReference(v);
                    return digest !== undefined || (tag !== undefined && tag.toLowerCase() !== "latest");
                },
                `${c.where} image ${JSON.stringify(c.spec["image"])} has no pinned tag or digest.`,
            );
        }
    },
});
