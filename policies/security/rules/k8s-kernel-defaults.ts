import { defineResourceRule } from "../../lib/rule";
import { WORKLOAD_TYPES, workloadPod } from "../../lib/k8s";
import { at, isRecord, isUnknown, list } from "../../lib/values";

/** The namespaced sysctls Kubernetes marks safe (the Pod Security "baseline" allow-list). */
const SAFE_SYSCTLS = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];

/**
 * APP-1, POL-2: pods keep the kernel's protections (kube-linter unsafe-proc-mount and unsafe-sysctls, Polaris procMount
 * and hostProcess). The API and job namespaces enforce the restricted Pod Security Standard, but the logging and
 * monitoring namespaces must allow privileged agents, so the program's own workloads are checked here.
 */
export const k8sKernelDefaults = defineResourceRule({
    name: "k8s-kernel-defaults",
    description:
        "Workload containers keep the default /proc mount and no Windows hostProcess, and pods set only the safe namespaced sysctls.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Remove securityContext.procMount (or set Default), windowsOptions.hostProcess and any sysctl outside the safe set.",
    requirements: ["APP-1", "POL-2"],
    resourceTypes: WORKLOAD_TYPES,
    validate({ type, props }, judge) {
        const workload = workloadPod(type, props, judge);
        if (!workload) {
            return;
        }
        const sysctls = at(workload.pod, "securityContext.sysctls");
        if (isUnknown(sysctls)) {
            judge.cannotJudge("securityContext.sysctls");
        } else {
            list(sysctls).forEach((s, i) => {
                const name = isRecord(s) ? s["name"] : undefined;
                judge.expect(
                    name,
                    `securityContext.sysctls[${i}].name`,
                    (v) => typeof v === "string" && SAFE_SYSCTLS.includes(v),
                    `securityContext.sysctls[${i}] sets ${JSON.stringify(name)}, which is not a safe namespaced sysctl.`,
                );
            });
        }
        judge.expect(
            at(workload.pod, "securityContext.windowsOptions.hostProcess"),
            "securityContext.windowsOptions.hostProcess",
            (v) => v !== true,
            "the pod runs as a Windows hostProcess.",
        );
        for (const c of workload.containers) {
            judge.expect(
                at(c.spec, "securityContext.procMount"),
                `${c.where}.securityContext.procMount`,
                (v) => v === undefined || v === null || v === "Default",
                `${c.where} unmasks /proc (procMount ${JSON.stringify(at(c.spec, "securityContext.procMount"))}).`,
            );
            judge.expect(
                at(c.spec, "securityContext.windowsOptions.hostProcess"),
                `${c.where}.securityContext.windowsOptions.hostProcess`,
                (v) => v !== true,
                `${c.where} runs as a Windows hostProcess.`,
            );
        }
    },
});
