import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "k8s-rbac-least-privilege";
const RBAC = "kubernetes:rbac.authorization.k8s.io/v1";
const ROLE = `${RBAC}:Role`;
const CLUSTER_ROLE = `${RBAC}:ClusterRole`;
const BINDING = `${RBAC}:RoleBinding`;
const CLUSTER_BINDING = `${RBAC}:ClusterRoleBinding`;

const reader = { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] };
/** A Role whose rules[1] is `rule`, after a harmless rules[0]. */
const role = (rule: unknown) => ({ metadata: { name: "reload", namespace: "monitoring" }, rules: [reader, rule] });
const binding = (roleRef: unknown) => ({
    metadata: { name: "reload", namespace: "monitoring" },
    roleRef,
    subjects: [{ kind: "ServiceAccount", name: "reload", namespace: "monitoring" }],
});
const ref = (kind: string, name: string) => ({ apiGroup: "rbac.authorization.k8s.io", kind, name });

describe(`${RULE}: bindings to built-in broad ClusterRoles (SEC-4, SEC-7)`, () => {
    it("reports cluster-admin, admin and edit bound as ClusterRoles", async () => {
        for (const name of ["cluster-admin", "admin", "edit"]) {
            await pinResource(RULE, CLUSTER_BINDING, binding(ref("ClusterRole", name)), {
                violations: [`the binding grants the built-in ClusterRole ${name}.`],
            });
        }
    });

    it("accepts a Role of the same name and a ClusterRole of another name", async () => {
        await pinResource(RULE, BINDING, binding(ref("Role", "edit")), {});
        await pinResource(RULE, BINDING, binding(ref("ClusterRole", "reload-reader")), {});
    });

    it("cannot judge an unknown roleRef or an unknown name in it", async () => {
        await pinResource(RULE, BINDING, binding(WIRE.unknown), { cannotJudge: [cannotJudge(RULE, "roleRef")] });
        await pinResource(RULE, CLUSTER_BINDING, binding(ref("ClusterRole", WIRE.unknown)), {
            cannotJudge: [cannotJudge(RULE, "roleRef")],
        });
    });
});

describe(`${RULE}: rules of Roles and ClusterRoles (SEC-4, SEC-7, POL-4)`, () => {
    it("cannot judge unknown rules, and names the rule with an unknown verb, resource, API group or resource name", async () => {
        await pinResource(
            RULE,
            ROLE,
            { metadata: { name: "reload" }, rules: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "rules")] },
        );
        for (const key of ["verbs", "resources", "apiGroups", "resourceNames"]) {
            const rule = {
                apiGroups: [""],
                resources: ["secrets"],
                resourceNames: ["reload"],
                verbs: ["get"],
                [key]: [WIRE.unknown],
            };
            await pinResource(RULE, CLUSTER_ROLE, role(rule), { cannotJudge: [cannotJudge(RULE, "rules[1]")] });
        }
        await pinResource(
            RULE,
            ROLE,
            role({ apiGroups: [""], resources: ["secrets"], resourceNames: WIRE.unknown, verbs: ["get"] }),
            { cannotJudge: [cannotJudge(RULE, "rules[1]")] },
        );
    });

    it("skips entries that are not rules and values that are not strings", async () => {
        await pinResource(RULE, ROLE, role(null), {});
        await pinResource(RULE, ROLE, role({ apiGroups: [""], resources: ["configmaps", 3], verbs: ["get", 7] }), {});
        await pinResource(RULE, ROLE, role({ apiGroups: [""], resources: ["configmaps"], verbs: ["*", 7] }), {
            violations: ['rules[1] uses a wildcard (verbs ["*"], resources ["configmaps"], apiGroups [""]).'],
        });
    });

    it("names every escalating verb, shell resource and cluster control resource of a rule", async () => {
        await pinResource(
            RULE,
            ROLE,
            role({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["bind", "escalate", "get"] }),
            {
                violations: ["rules[1] grants bind, escalate, which lets the subject gain permissions it does not hold."],
            },
        );
        await pinResource(
            RULE,
            ROLE,
            role({ apiGroups: [""], resources: ["pods/exec", "pods/attach", "pods/log"], verbs: ["get"] }),
            {
                violations: ["rules[1] grants pods/exec, pods/attach, a shell or proxy into pods or nodes."],
            },
        );
        await pinResource(
            RULE,
            CLUSTER_ROLE,
            role({
                apiGroups: ["admissionregistration.k8s.io"],
                resources: ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"],
                verbs: ["get", "update"],
            }),
            {
                violations: [
                    "rules[1] may change validatingwebhookconfigurations, mutatingwebhookconfigurations, which controls admission or certificates cluster-wide.",
                ],
            },
        );
    });

    it("accepts reading cluster control resources", async () => {
        await pinResource(
            RULE,
            CLUSTER_ROLE,
            role({
                apiGroups: ["admissionregistration.k8s.io"],
                resources: ["validatingwebhookconfigurations"],
                verbs: ["get", "list", "watch"],
            }),
            {},
        );
    });

    it("reports creating pods only when the rule has both the resource and the verb", async () => {
        await pinResource(RULE, ROLE, role({ apiGroups: [""], resources: ["pods"], verbs: ["get", "create"] }), {
            violations: ["rules[1] lets the subject create pods, which can run as any ServiceAccount of the namespace."],
        });
        await pinResource(RULE, ROLE, role({ apiGroups: [""], resources: ["pods"], verbs: ["get", "delete"] }), {});
        await pinResource(RULE, ROLE, role({ apiGroups: [""], resources: ["configmaps"], verbs: ["create"] }), {});
    });

    it("accepts Secrets by name and reports them without names", async () => {
        await pinResource(
            RULE,
            ROLE,
            role({ apiGroups: [""], resources: ["secrets"], resourceNames: ["reload"], verbs: ["get"] }),
            {},
        );
        await pinResource(RULE, ROLE, role({ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }), {
            violations: ["rules[1] grants Secrets without resourceNames, i.e. every Secret of its scope."],
        });
    });
});
