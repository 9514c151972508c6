import { defineResourceRule } from "../../lib/rule";
import { at, containsUnknown, isRecord, isUnknown, list } from "../../lib/values";

const RBAC = "kubernetes:rbac.authorization.k8s.io/v1";
const ROLE_TYPES = [`${RBAC}:Role`, `${RBAC}:ClusterRole`];
const BINDING_TYPES = [`${RBAC}:RoleBinding`, `${RBAC}:ClusterRoleBinding`];

/** Verbs that let a subject grant itself more than it holds (bind, escalate) or act as someone else (impersonate). */
const ESCALATING_VERBS = ["bind", "escalate", "impersonate"];
/** Sub-resources that open a shell or a proxy into pods or nodes. */
const SHELL_RESOURCES = ["pods/exec", "pods/attach", "nodes/proxy"];
/** Cluster-scoped resources whose write access controls every admission or certificate in the cluster. */
const CLUSTER_CONTROL = [
    "validatingwebhookconfigurations",
    "mutatingwebhookconfigurations",
    "certificatesigningrequests/approval",
    "signers",
];
/** Built-in ClusterRoles that grant (nearly) everything in their scope. */
const BROAD_CLUSTER_ROLES = ["cluster-admin", "admin", "edit"];
const READ_VERBS = ["get", "list", "watch"];

const strings = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === "string");

/**
 * SEC-4, SEC-7, POL-4: Kubernetes RBAC grants exactly what a workload needs (Checkov CKV_K8S_49, CKV_K8S_155-158,
 * CKV2_K8S_1-3, CKV2_K8S_5; kube-linter wildcard-in-rules, access-to-secrets, access-to-create-pods,
 * cluster-admin-role-binding; Polaris role and binding checks). Roles and ClusterRoles: no wildcard verb, resource
 * or API group; no bind, escalate or impersonate; no exec, attach or node proxy; no creating pods; Secrets only by
 * name; no write access to admission webhooks or certificate approval. Bindings never hand out cluster-admin, admin
 * or edit. The roles a binding references are judged as roles, so a binding to a broad role fails through its role.
 */
export const k8sRbacLeastPrivilege = defineResourceRule({
    name: "k8s-rbac-least-privilege",
    description:
        "Kubernetes Roles grant named verbs on named resources, never escalation, shells into pods, pod creation or all Secrets; bindings never grant cluster-admin, admin or edit.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "List the verbs, resources and API groups the workload calls, with resourceNames for Secrets; bind a Role of your own instead of a built-in broad ClusterRole.",
    requirements: ["SEC-4", "SEC-7", "POL-4"],
    resourceTypes: [...ROLE_TYPES, ...BINDING_TYPES],
    validate({ type, props }, judge) {
        if (BINDING_TYPES.includes(type)) {
            const ref = props["roleRef"];
            if (containsUnknown(ref)) {
                judge.cannotJudge("roleRef");
                return;
            }
            if (at(ref, "kind") === "ClusterRole" && BROAD_CLUSTER_ROLES.includes(String(at(ref, "name")))) {
                judge.violation(`the binding grants the built-in ClusterRole ${String(at(ref, "name"))}.`);
            }
            return;
        }
        const rules = props["rules"];
        if (isUnknown(rules)) {
            judge.cannotJudge("rules");
            return;
        }
        list(rules).forEach((rule, i) => {
            if (!isRecord(rule)) {
                return;
            }
            if (["verbs", "resources", "apiGroups", "resourceNames"].some((k) => containsUnknown(rule[k]))) {
                judge.cannotJudge(`rules[${i}]`);
                return;
            }
            const verbs = strings(rule["verbs"]);
            const resources = strings(rule["resources"]);
            const groups = strings(rule["apiGroups"]);
            const named = strings(rule["resourceNames"]).length > 0;
            if ([...verbs, ...resources, ...groups].some((v) => v.includes("*"))) {
                judge.violation(
                    `rules[${i}] uses a wildcard (verbs ${JSON.stringify(verbs)}, resources ${JSON.stringify(resources)}, apiGroups ${JSON.stringify(groups)}).`,
                );
            }
            const escalating = verbs.filter((v) => ESCALATING_VERBS.includes(v));
            if (escalating.length > 0) {
                judge.violation(
                    `rules[${i}] grants ${escalating.join(", ")}, which lets the subject gain permissions it does not hold.`,
                );
            }
            const shells = resources.filter((r) => SHELL_RESOURCES.includes(r));
            if (shells.length > 0) {
                judge.violation(`rules[${i}] grants ${shells.join(", ")}, a shell or proxy into pods or nodes.`);
            }
            if (resources.includes("pods") && verbs.includes("create")) {
                judge.violation(
                    `rules[${i}] lets the subject create pods, which can run as any ServiceAccount of the namespace.`,
                );
            }
            if (resources.includes("secrets") && !named) {
                judge.violation(`rules[${i}] grants Secrets without resourceNames, i.e. every Secret of its scope.`);
            }
            const control = resources.filter((r) => CLUSTER_CONTROL.includes(r));
            if (control.length > 0 && verbs.some((v) => !READ_VERBS.includes(v))) {
                judge.violation(
                    `rules[${i}] may change ${control.join(", ")}, which controls admission or certificates cluster-wide.`,
                );
            }
        });
    },
});
