import { defineResourceRule } from "../../lib/rule";
import { WORKLOAD_TYPES, workloadPod } from "../../lib/k8s";
import { at } from "../../lib/values";

/** APP-1: containers declare requests and limits (Checkov CKV_K8S_10..13). */
export const k8sResources = defineResourceRule({
    name: "k8s-resources",
    description:
        "Workload containers declare the configured resource requests (default cpu, memory) and limits (default memory).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Set resources { requests: { cpu, memory }, limits: { memory } } on each container, sized from the metrics.",
    requirements: ["APP-1"],
    config: {
        requests: {
            schema: {
                type: "array",
                items: { type: "string" },
                default: ["cpu", "memory"],
                description: "Resources every container must request.",
            },
        },
        limits: {
            schema: {
                type: "array",
                items: { type: "string" },
                default: ["memory"],
                description: "Resources every container must limit.",
            },
        },
    },
    resourceTypes: WORKLOAD_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        const { containers } = workload;
        for (const c of containers) {
            for (const [kind, names] of [
                ["requests", judge.strings("requests")],
                ["limits", judge.strings("limits")],
            ] as const) {
                for (const name of names) {
                    judge.expect(
                        at(c.spec, `resources.${kind}.${name}`),
                        `${c.where}.resources.${kind}.${name}`,
                        (v) => v !== undefined && v !== null && v !== "",
                        `${c.where} has no ${kind}.${name}.`,
                    );
                }
            }
        }
    },
});
