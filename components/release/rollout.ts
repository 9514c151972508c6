/**
 * Progressive delivery of the API with Argo Rollouts (REL-1): the controller as a pinned Helm release, an
 * AnalysisTemplate measuring the new pods against the MON-2 thresholds, and a Rollout that takes over the
 * pods of the API Deployment through `workloadRef`.
 *
 * Why `workloadRef`: the pod template stays in the Deployment that BookbuddyApp declares, so the security
 * pack keeps judging one pod spec (non-root, no privilege escalation, pinned image, resources) and the
 * Deployment only carries the template (replicas 0); the Rollout owns the running ReplicaSets.
 *
 * Traffic (decided, see docs/release.md): a canary is split at the ALB with weighted target groups. The
 * Ingress points at the stable Service with the port `use-annotation`; Argo Rollouts writes the
 * `alb.ingress.kubernetes.io/actions.<stable>` annotation with the weights (stable vs. canary Service) and
 * adds the pod-template hash to both Services' selectors. Pulumi applies server-side and never sets those
 * fields, so it does not fight the controller. Blue-green switches the active Service's selector from the
 * old to the new ReplicaSet (the Ingress then points at the active Service with its normal port).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podSecurityLabels } from "../shared/k8s";
import { AnalysisOptions, analysisTemplateSpec, CANARY_HASH_ARG } from "./analysis";

/** Chart repository of Argo Rollouts (REL-1). */
export const ROLLOUTS_CHART_REPOSITORY = "https://argoproj.github.io/argo-helm";
/** API group and version of the Rollout and AnalysisTemplate kinds the pinned chart installs (REL-1). */
export const ROLLOUTS_API_VERSION = "argoproj.io/v1alpha1";

/** One canary step: send `weight` percent to the new pods, then wait `pauseSeconds` (REL-1). */
export interface CanaryStep {
    weight: number;
    pauseSeconds: number;
}

/** How a new version replaces the old one (REL-1). */
export type ReleaseStrategy =
    | {
          kind: "canary";
          /** Weights in increasing order; empty sends 100% at once ("straight through"). */
          steps: CanaryStep[];
      }
    | {
          kind: "blueGreen";
          /** Seconds the new pods run as preview before they take all traffic. */
          previewSeconds: number;
          /** Seconds the old pods stay up after the switch, so an aborted analysis can switch back. */
          scaleDownDelaySeconds: number;
      };

/** Settings of the Argo Rollouts controller (REL-1). */
export interface RolloutsControllerArgs {
    /** Pinned chart version, e.g. `2.41.0` (REL-1). */
    chartVersion: string;
    /** Namespace of the controller; default `argo-rollouts`. */
    namespace?: string;
    /** Controller replicas (leader election keeps one active); default 2. */
    replicas?: number;
}

/**
 * The Argo Rollouts controller (REL-1): the pinned chart with its CRDs, two replicas behind a PDB, hardened
 * pods, the dashboard off, and traffic-provider RBAC reduced to the AWS Load Balancer Controller's objects.
 */
export class RolloutsController extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: RolloutsControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        if (!/^\d+\.\d+\.\d+$/.test(args.chartVersion))
            throw new Error(
                `RolloutsController ${name}: chartVersion must be an exact version such as "2.41.0", got "${args.chartVersion}" (REL-1)`,
            );
        super("bookbuddy:release:RolloutsController", name, {}, opts);
        const ns = args.namespace ?? "argo-rollouts";
        this.namespace = new k8s.core.v1.Namespace(
            name,
            { metadata: { name: ns, labels: { "app.kubernetes.io/managed-by": "pulumi", ...podSecurityLabels("restricted") } } },
            { parent: this },
        );
        const providers = Object.fromEntries(
            [
                "istio",
                "smi",
                "ambassador",
                "awsLoadBalancerController",
                "awsAppMesh",
                "traefik",
                "apisix",
                "contour",
                "glooPlatform",
                "gatewayAPI",
            ].map((p) => [p, p === "awsLoadBalancerController"]),
        );
        this.release = new k8s.helm.v3.Release(
            name,
            {
                name: "argo-rollouts",
                chart: "argo-rollouts",
                version: args.chartVersion,
                repositoryOpts: { repo: ROLLOUTS_CHART_REPOSITORY },
                namespace: ns,
                atomic: true,
                values: {
                    installCRDs: true,
                    keepCRDs: true,
                    controller: {
                        replicas: args.replicas ?? 2,
                        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
                        pdb: { enabled: true, maxUnavailable: 1 },
                        metrics: { enabled: true },
                    },
                    podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                    containerSecurityContext: {
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        capabilities: { drop: ["ALL"] },
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    dashboard: { enabled: false },
                    providerRBAC: { enabled: true, providers },
                },
            },
            { parent: this, dependsOn: [this.namespace] },
        );
        this.registerOutputs({});
    }
}

export interface ApiRolloutArgs {
    /** Namespace of the API; required (APP-1). */
    namespace: string;
    /** Name of the API Deployment whose pod template the Rollout runs; the Rollout takes the same name (REL-1). */
    deploymentName: string;
    /** Labels of the API pods' Services (the ServiceMonitor selects them) (MON-2). */
    labels: Record<string, string>;
    /** Selector of the API pods (REL-1). */
    selector: Record<string, string>;
    /** Name of the Service the Ingress and clients use: stable (canary) or active (blue-green) (REL-1). */
    stableService: string;
    /** Name of the API Ingress whose ALB splits a canary's traffic (REL-1). */
    ingressName: string;
    /** Port of the Services the ALB targets (REL-1). */
    servicePort: number;
    /** Replicas when no HPA has scaled yet; required (APP-1). */
    replicas: number;
    /** Canary or blue-green and their timing (REL-1). */
    strategy: ReleaseStrategy;
    /** The automatic analysis; omitted, releases proceed on time alone (dev) (REL-1, MON-2). */
    analysis?: AnalysisOptions;
    /** Revisions a rollback to which skips the steps and analysis; default 3 (REL-1). */
    rollbackWindowRevisions?: number;
    /** Seconds without progress after which the rollout aborts; default 900 (REL-1). */
    progressDeadlineSeconds?: number;
}

/** Names of the objects `ApiRollout` creates, for the Ingress and the HPA (REL-1). */
export function rolloutNames(deploymentName: string, stableService: string) {
    return {
        rollout: deploymentName,
        analysis: `${deploymentName}-release`,
        canaryService: `${stableService}-canary`,
        previewService: `${stableService}-preview`,
    };
}

/** Validates a strategy; throws one clear message (REL-1). */
export function checkStrategy(strategy: ReleaseStrategy): void {
    if (strategy.kind === "canary") {
        let previous = 0;
        strategy.steps.forEach((s, i) => {
            if (!Number.isInteger(s.weight) || s.weight <= previous || s.weight >= 100) {
                throw new Error(
                    `canary step ${i}: weight must be an integer above ${previous} and below 100, got ${s.weight} (REL-1)`,
                );
            }
            if (!Number.isInteger(s.pauseSeconds) || s.pauseSeconds < 0)
                throw new Error(`canary step ${i}: pauseSeconds must be an integer of 0 or more, got ${s.pauseSeconds} (REL-1)`);
            previous = s.weight;
        });
    } else if (!(
        Number.isInteger(strategy.previewSeconds) &&
        strategy.previewSeconds >= 0 &&
        Number.isInteger(strategy.scaleDownDelaySeconds) &&
        strategy.scaleDownDelaySeconds >= 30
    )) {
        throw new Error(
            `blue-green needs previewSeconds >= 0 and scaleDownDelaySeconds >= 30, got ${strategy.previewSeconds}/${strategy.scaleDownDelaySeconds} (REL-1)`,
        );
    }
}

/** The `spec.strategy` of the Rollout (REL-1). */
export function rolloutStrategy(
    args: Pick<ApiRolloutArgs, "strategy" | "analysis" | "stableService" | "ingressName" | "servicePort">,
    analysisName: string,
): Record<string, unknown> {
    checkStrategy(args.strategy);
    const names = rolloutNames("", args.stableService);
    const analysisRef = (hashOf: "Latest") => ({
        templates: [{ templateName: analysisName }],
        args: [{ name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: hashOf } }],
    });
    if (args.strategy.kind === "canary") {
        const steps = args.strategy.steps.flatMap((s) => [{ setWeight: s.weight }, { pause: { duration: s.pauseSeconds } }]);
        return {
            canary: {
                canaryService: names.canaryService,
                stableService: args.stableService,
                trafficRouting: { alb: { ingress: args.ingressName, servicePort: args.servicePort } },
                maxSurge: "25%",
                maxUnavailable: 0,
                // Background analysis from the first step on: any failed measurement aborts and shifts all
                // traffic back to the stable pods.
                ...(args.analysis && steps.length > 0 ? { analysis: { ...analysisRef("Latest"), startingStep: 1 } } : {}),
                steps,
            },
        };
    }
    return {
        blueGreen: {
            activeService: args.stableService,
            previewService: names.previewService,
            autoPromotionEnabled: true,
            autoPromotionSeconds: args.strategy.previewSeconds,
            scaleDownDelaySeconds: args.strategy.scaleDownDelaySeconds,
            // After the switch the new pods take real traffic; a failed analysis switches back to the old
            // pods, which stay up for scaleDownDelaySeconds.
            ...(args.analysis ? { postPromotionAnalysis: analysisRef("Latest") } : {}),
        },
    };
}

/**
 * The API released by Argo Rollouts (REL-1): AnalysisTemplate, the canary or preview Service, and the
 * Rollout that runs the Deployment's pod template. Needs the controller's CRDs (pass it in `dependsOn`).
 */
export class ApiRollout extends pulumi.ComponentResource {
    readonly analysisTemplate?: k8s.apiextensions.CustomResource;
    /** The canary Service (canary) or the preview Service (blue-green). */
    readonly secondaryService: k8s.core.v1.Service;
    readonly rollout: k8s.apiextensions.CustomResource;

    constructor(name: string, args: ApiRolloutArgs, opts?: pulumi.ComponentResourceOptions) {
        checkStrategy(args.strategy);
        super("bookbuddy:release:ApiRollout", name, {}, opts);
        const names = rolloutNames(args.deploymentName, args.stableService);
        const child = { parent: this };

        if (args.analysis) {
            this.analysisTemplate = new k8s.apiextensions.CustomResource(
                `${name}-analysis`,
                {
                    apiVersion: ROLLOUTS_API_VERSION,
                    kind: "AnalysisTemplate",
                    metadata: { name: names.analysis, namespace: args.namespace, labels: args.labels },
                    spec: analysisTemplateSpec(args.analysis),
                },
                child,
            );
        }

        const secondaryName = args.strategy.kind === "canary" ? names.canaryService : names.previewService;
        this.secondaryService = new k8s.core.v1.Service(
            `${name}-${args.strategy.kind === "canary" ? "canary" : "preview"}`,
            {
                metadata: { name: secondaryName, namespace: args.namespace, labels: args.labels },
                spec: {
                    type: "ClusterIP",
                    selector: args.selector,
                    ports: [{ name: "http", port: args.servicePort, targetPort: "http", protocol: "TCP" }],
                },
            },
            child,
        );

        this.rollout = new k8s.apiextensions.CustomResource(
            `${name}-rollout`,
            {
                apiVersion: ROLLOUTS_API_VERSION,
                kind: "Rollout",
                metadata: { name: names.rollout, namespace: args.namespace, labels: args.labels },
                spec: {
                    replicas: args.replicas,
                    revisionHistoryLimit: 5,
                    progressDeadlineSeconds: args.progressDeadlineSeconds ?? 900,
                    progressDeadlineAbort: true,
                    rollbackWindow: { revisions: args.rollbackWindowRevisions ?? 3 },
                    selector: { matchLabels: args.selector },
                    workloadRef: {
                        apiVersion: "apps/v1",
                        kind: "Deployment",
                        name: args.deploymentName,
                        scaleDown: "progressively",
                    },
                    strategy: rolloutStrategy(args, names.analysis),
                },
            },
            {
                parent: this,
                dependsOn: [this.secondaryService, ...(this.analysisTemplate ? [this.analysisTemplate] : [])],
                ignoreChanges: ["spec.replicas"],
            },
        );
        this.registerOutputs({ rollout: names.rollout });
    }
}
