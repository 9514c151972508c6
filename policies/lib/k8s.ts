/** Reading pod templates out of Kubernetes workload inputs (APP-1, K8S-1). */
import type { Judge } from "./rule";
import { at, isRecord, isUnknown, list, type Props } from "./values";

/**
 * Every pod-bearing kind @pulumi/kubernetes 4.34.2 offers, in every API version it offers (POL-4), plus the
 * Argo Rollout custom resource (argoproj.io/v1alpha1). The *Patch forms are listed in policies/lib/forms.json
 * as not judged: a patch names only the fields it changes on an object another owner declares.
 */
export const WORKLOAD_TYPES = [
    "kubernetes:core/v1:Pod",
    "kubernetes:core/v1:PodTemplate",
    "kubernetes:core/v1:ReplicationController",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1beta1:Deployment",
    "kubernetes:apps/v1beta2:Deployment",
    "kubernetes:extensions/v1beta1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1beta1:StatefulSet",
    "kubernetes:apps/v1beta2:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1beta2:DaemonSet",
    "kubernetes:extensions/v1beta1:DaemonSet",
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:apps/v1beta2:ReplicaSet",
    "kubernetes:extensions/v1beta1:ReplicaSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:batch/v1beta1:CronJob",
    "kubernetes:batch/v2alpha1:CronJob",
    "kubernetes:argoproj.io/v1alpha1:Rollout",
];

/** Long-running kinds (they serve traffic or run continuously): the ones probes apply to (MNT, APP-1). */
export const LONG_RUNNING_TYPES = WORKLOAD_TYPES.filter((t) => !/:(Job|CronJob|PodTemplate)$/.test(t));

export interface ContainerView {
    /** `containers[0]`, `initContainers[1]` … */
    where: string;
    init: boolean;
    spec: Record<string, unknown>;
}

/**
 * The pod spec of a workload: Pod `spec`, PodTemplate `template.spec`, CronJob (any version)
 * `spec.jobTemplate.spec.template.spec`, the others `spec.template.spec`; may be an unknown sentinel.
 */
export function podSpecOf(type: string, props: Props): unknown {
    if (type.endsWith(":Pod")) {
        return at(props, "spec");
    }
    if (type.endsWith(":PodTemplate")) {
        return at(props, "template.spec");
    }
    return at(props, type.endsWith(":CronJob") ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec");
}

/** An Argo Rollout that references a Deployment (`spec.workloadRef`) has no pod spec of its own: the Deployment is judged. */
export function referencesWorkload(type: string, props: Props): boolean {
    return (
        type === "kubernetes:argoproj.io/v1alpha1:Rollout" &&
        at(props, "spec.template") === undefined &&
        isRecord(at(props, "spec.workloadRef"))
    );
}

/** Containers and init containers; `unknown` is set when the list itself is not known yet. */
export function containersOf(podSpec: unknown): { containers: ContainerView[]; unknown: boolean } {
    if (isUnknown(podSpec) || !isRecord(podSpec)) {
        return { containers: [], unknown: isUnknown(podSpec) };
    }
    const result: ContainerView[] = [];
    let unknown = false;
    for (const [key, init] of [
        ["containers", false],
        ["initContainers", true],
    ] as const) {
        const value = podSpec[key];
        if (isUnknown(value)) {
            unknown = true;
            continue;
        }
        list(value).forEach((c, i) => {
            if (isRecord(c)) {
                result.push({ where: `${key}[${i}]${typeof c["name"] === "string" ? ` (${c["name"]})` : ""}`, init, spec: c });
            } else if (isUnknown(c)) {
                unknown = true;
            }
        });
    }
    return { containers: result, unknown };
}

/**
 * A workload's pod spec and containers for a rule: tells the judge what it cannot judge yet (the pod spec,
 * or the container lists), and returns undefined when there is nothing to judge at all.
 */
export function workloadPod(
    type: string,
    props: Props,
    judge: Pick<Judge, "cannotJudge">,
): { pod: Record<string, unknown>; containers: ContainerView[] } | undefined {
    if (referencesWorkload(type, props)) {
        return undefined;
    }
    const pod = podSpecOf(type, props);
    if (isUnknown(pod)) {
        judge.cannotJudge("pod spec");
        return undefined;
    }
    const { containers, unknown } = containersOf(pod);
    if (unknown) {
        judge.cannotJudge("containers");
    }
    return { pod: isRecord(pod) ? pod : {}, containers };
}

/**
 * Splits an image reference into its tag and digest. `registry:5000/team/api:1.4.2` → tag 1.4.2;
 * `api@sha256:…` → digest.
 */
export function imageReference(image: string): { tag?: string; digest?: string } {
    const [withoutDigest, digest] = image.split("@", 2);
    const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
    const colon = lastSegment.lastIndexOf(":");
    const tag = colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
    return { tag: tag || undefined, digest: digest || undefined };
}

export const INGRESS_TYPES = ["kubernetes:networking.k8s.io/v1:Ingress"];
/** Annotation prefix of the AWS Load Balancer Controller, which turns an Ingress into an ALB (EDGE-1). */
export const ALB_ANNOTATION = "alb.ingress.kubernetes.io/";

/**
 * Whether an Ingress is served by the AWS Load Balancer Controller: `spec.ingressClassName: alb` or the
 * legacy `kubernetes.io/ingress.class: alb` annotation. "unknown" while either is unknown.
 */
export function isAlbIngress(props: Props): boolean | "unknown" {
    const className = at(props, "spec.ingressClassName");
    const annotations = annotationsOf(props);
    const legacy = typeof annotations === "string" ? annotations : annotations["kubernetes.io/ingress.class"];
    if (className === "alb" || legacy === "alb") {
        return true;
    }
    return isUnknown(className) || isUnknown(legacy) ? "unknown" : false;
}

/** The Ingress annotations (an unknown sentinel during a preview when computed from outputs). */
export function annotationsOf(props: Props): Record<string, unknown> | string {
    const annotations = at(props, "metadata.annotations");
    if (isUnknown(annotations)) {
        return annotations as string;
    }
    return isRecord(annotations) ? annotations : {};
}
