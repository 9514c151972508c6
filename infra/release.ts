/**
 * How the API is released (REL-1): maps the validated `release` configuration and the MON-2 thresholds of
 * `monitoring.thresholds` (the same values the alert rules read) to the Argo Rollouts controller and the
 * API's Rollout with its automatic analysis.
 */
import * as k8s from "@pulumi/kubernetes";
import { BookbuddyApp } from "../components/app";
import { KubernetesCluster } from "../components/cluster";
import { API_JOB, KPS_RELEASE } from "../components/monitoring";
import { AnalysisOptions } from "../components/release/analysis";
import { ApiRollout, ReleaseStrategy, RolloutsController } from "../components/release/rollout";
import { StackConfig } from "./config";

/** Prometheus of kube-prometheus-stack as the Argo Rollouts controller reaches it: `<release>-prometheus` in `monitoring`, port 9090 (MON-1). */
export const PROMETHEUS_ADDRESS = `http://${KPS_RELEASE}-prometheus.monitoring.svc:9090`;

export interface Release {
    controller: RolloutsController;
    rollout: ApiRollout;
}

/** The strategy of the stack (REL-1): canary weights with pauses, or blue-green. */
export function releaseStrategy(cfg: StackConfig): ReleaseStrategy {
    const r = cfg.release;
    return r.strategy === "canary"
        ? { kind: "canary", steps: r.canaryWeights.map((weight) => ({ weight, pauseSeconds: r.pauseSeconds })) }
        : { kind: "blueGreen", previewSeconds: r.previewSeconds, scaleDownDelaySeconds: r.scaleDownDelaySeconds };
}

/** The analysis of the stack (REL-1, MON-2): the alert thresholds of `monitoring.thresholds`, measured on the new pods. */
export function releaseAnalysis(cfg: StackConfig, namespace: string): AnalysisOptions | undefined {
    const r = cfg.release;
    if (!r.analysis) return undefined;
    return {
        errorRatePercent: cfg.monitoring.thresholds.errorRatePercent,
        latencyP95Seconds: cfg.monitoring.thresholds.latencyP95Seconds,
        apiJob: API_JOB,
        namespace,
        rolloutName: "bookbuddy-api",
        window: r.analysisWindow,
        interval: r.analysisInterval,
        initialDelay: r.analysisInitialDelay,
        failureLimit: r.failureLimit,
        prometheusAddress: PROMETHEUS_ADDRESS,
        ...(r.strategy === "blueGreen" ? { count: r.analysisMeasurements } : {}),
    };
}

/** The controller and the API's Rollout, when `release.progressive` is on (REL-1). */
export function buildRelease(
    cfg: StackConfig,
    env: { prefix: string; cluster: KubernetesCluster; app: BookbuddyApp },
): Release | undefined {
    if (!cfg.release.progressive) return undefined;
    const opts = { providers: { kubernetes: env.cluster.provider as k8s.Provider } };
    const controller = new RolloutsController(`${env.prefix}-rollouts`, { chartVersion: cfg.release.rolloutsChart }, opts);
    // BookbuddyApp's namespace (its default; buildApp sets no other).
    const ns = "bookbuddy";
    const rollout = new ApiRollout(
        `${env.prefix}-api-release`,
        {
            namespace: ns,
            deploymentName: "bookbuddy-api",
            labels: env.app.apiLabels,
            selector: env.app.podSelector,
            stableService: "bookbuddy-api",
            ingressName: "bookbuddy-api",
            servicePort: 80,
            replicas: cfg.app.replicas,
            strategy: releaseStrategy(cfg),
            analysis: releaseAnalysis(cfg, ns),
        },
        { ...opts, dependsOn: [controller.release, env.app.deployment, env.app.service, env.app.ingress, env.app.namespace] },
    );
    return { controller, rollout };
}
