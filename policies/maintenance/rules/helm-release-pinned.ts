import { defineResourceRule } from "../../lib/rule";
import { at, isUnknown } from "../../lib/values";

/** An exact chart version: major.minor.patch (optional leading v, pre-release, build); never a range, wildcard or prefix. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * K8S-2, MON-1, LOG-1: the workloads inside a Helm release are not resources of the program, so the
 * release itself is what the rules can hold: an exact chart version (no range, no latest) fetched over
 * HTTPS or OCI, so every preview renders the same manifests and an upgrade is a reviewed change.
 */
export const helmReleasePinned = defineResourceRule({
    name: "helm-release-pinned",
    description: "Helm releases pin an exact chart version from an HTTPS or OCI repository.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        'Set version: "<major.minor.patch>" and repositoryOpts.repo to the chart\'s https:// repository (or chart: "oci://..."); upgrade by changing the pin.',
    requirements: ["K8S-2", "MON-1", "LOG-1"],
    resourceTypes: ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"],
    validate({ props }, judge) {
        judge.expect(
            props["version"],
            "version",
            (v) => typeof v === "string" && EXACT_VERSION.test(v.trim()),
            `version must be an exact chart version such as 1.13.3 (got ${JSON.stringify(props["version"] ?? "unset, which installs the latest")}).`,
        );
        const chart = props["chart"];
        const repo = at(props, "repositoryOpts.repo");
        if (isUnknown(chart) || isUnknown(repo)) {
            judge.cannotJudge("chart and repositoryOpts.repo");
            return;
        }
        if (typeof chart === "string" && chart.startsWith("oci://")) {
            return;
        }
        if (!(typeof repo === "string" && (repo.startsWith("https://") || repo.startsWith("oci://")))) {
            judge.violation(`the chart must come from an https:// or oci:// repository (got ${JSON.stringify(repo ?? "none")}).`);
        }
    },
});
