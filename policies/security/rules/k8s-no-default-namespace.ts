import { defineResourceRule } from "../../lib/rule";
import { at } from "../../lib/values";

/** Namespaced kinds the program (or a change to it) may declare. */
const NAMESPACED_TYPES = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:argoproj.io/v1alpha1:Rollout",
    "kubernetes:core/v1:Pod",
    "kubernetes:core/v1:Service",
    "kubernetes:core/v1:ConfigMap",
    "kubernetes:core/v1:Secret",
    "kubernetes:core/v1:ServiceAccount",
    "kubernetes:networking.k8s.io/v1:Ingress",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    "kubernetes:policy/v1:PodDisruptionBudget",
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    "kubernetes:rbac.authorization.k8s.io/v1:Role",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
];

/**
 * APP-1, POL-2: objects live in their component's namespace, whose Pod Security level and secret scope apply
 * (Checkov CKV_K8S_21, kube-linter use-namespace). An object without metadata.namespace lands in the provider's
 * default namespace, usually "default", so the namespace must be written out.
 */
export const k8sNoDefaultNamespace = defineResourceRule({
    name: "k8s-no-default-namespace",
    description: 'Namespaced Kubernetes objects name their namespace explicitly, and it is not "default".',
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Set metadata.namespace to the component's namespace (created with its Pod Security labels).",
    requirements: ["APP-1", "POL-2"],
    resourceTypes: NAMESPACED_TYPES,
    validate({ props }, judge) {
        judge.expect(
            at(props, "metadata.namespace"),
            "metadata.namespace",
            (v) => typeof v === "string" && v !== "" && v !== "default",
            'the object must name its namespace (metadata.namespace), and not "default".',
        );
    },
});
