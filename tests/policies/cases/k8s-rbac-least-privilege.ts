/**
 * Compliant and violating cases of k8s-rbac-least-privilege (SEC-4, SEC-7, POL-4): every Role, ClusterRole and
 * binding form, shaped as @pulumi/kubernetes inputs. The compliant Role is the exporter-reload CronJob's (SEC-8).
 */
import type { ResourceCase } from "../cases";

const RBAC = "kubernetes:rbac.authorization.k8s.io/v1";
const RULE = "k8s-rbac-least-privilege";

const scoped = {
    metadata: { name: "postgres-exporter-reload", namespace: "monitoring" },
    rules: [
        { apiGroups: [""], resources: ["secrets"], resourceNames: ["postgres-exporter"], verbs: ["get"] },
        { apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["postgres-exporter"], verbs: ["get", "patch"] },
    ],
};
const withRule = (rule: Record<string, unknown>) => ({ ...scoped, rules: [...scoped.rules, rule] });
const binding = (kind: string, name: string) => ({
    metadata: { name: "reload", namespace: "monitoring" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind, name },
    subjects: [{ kind: "ServiceAccount", name: "postgres-exporter-reload", namespace: "monitoring" }],
});

const roleCases = (type: string): ResourceCase => ({
    rule: RULE,
    type,
    ok: scoped,
    bad: [
        {
            why: "a wildcard verb",
            props: withRule({ apiGroups: ["apps"], resources: ["deployments"], verbs: ["*"] }),
            expect: /rules\[2\] uses a wildcard/,
        },
        {
            why: "a wildcard API group",
            props: withRule({ apiGroups: ["*"], resources: ["configmaps"], verbs: ["get"] }),
            expect: /rules\[2\] uses a wildcard/,
        },
        {
            why: "escalate",
            props: withRule({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["escalate"] }),
            expect: /grants escalate/,
        },
        {
            why: "bind",
            props: withRule({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["create", "bind"] }),
            expect: /grants bind/,
        },
        {
            why: "impersonate",
            props: withRule({ apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] }),
            expect: /grants impersonate/,
        },
        {
            why: "exec into pods",
            props: withRule({ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }),
            expect: /pods\/exec, a shell or proxy/,
        },
        {
            why: "node proxy",
            props: withRule({ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }),
            expect: /nodes\/proxy/,
        },
        {
            why: "create pods",
            props: withRule({ apiGroups: [""], resources: ["pods"], verbs: ["create"] }),
            expect: /create pods/,
        },
        {
            why: "every Secret",
            props: withRule({ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }),
            expect: /Secrets without resourceNames/,
        },
        {
            why: "an empty resourceNames list",
            props: withRule({ apiGroups: [""], resources: ["secrets"], resourceNames: [], verbs: ["list"] }),
            expect: /Secrets without resourceNames/,
        },
        {
            why: "webhook configurations",
            props: withRule({
                apiGroups: ["admissionregistration.k8s.io"],
                resources: ["mutatingwebhookconfigurations"],
                verbs: ["patch"],
            }),
            expect: /controls admission/,
        },
        {
            why: "certificate approval",
            props: withRule({
                apiGroups: ["certificates.k8s.io"],
                resources: ["certificatesigningrequests/approval"],
                verbs: ["update"],
            }),
            expect: /certificatesigningrequests\/approval/,
        },
    ],
});

export const k8sRbacLeastPrivilegeCases: ResourceCase[] = [
    roleCases(`${RBAC}:Role`),
    roleCases(`${RBAC}:ClusterRole`),
    {
        rule: RULE,
        type: `${RBAC}:ClusterRole`,
        ok: {
            ...scoped,
            rules: [
                {
                    apiGroups: ["admissionregistration.k8s.io"],
                    resources: ["validatingwebhookconfigurations"],
                    verbs: ["get", "list", "watch"],
                },
            ],
        },
        bad: [],
    },
    ...[`${RBAC}:RoleBinding`, `${RBAC}:ClusterRoleBinding`].map((type): ResourceCase => ({
        rule: RULE,
        type,
        ok: binding("Role", "postgres-exporter-reload"),
        bad: [
            {
                why: "cluster-admin",
                props: binding("ClusterRole", "cluster-admin"),
                expect: /built-in ClusterRole cluster-admin/,
            },
            { why: "edit", props: binding("ClusterRole", "edit"), expect: /built-in ClusterRole edit/ },
            { why: "admin", props: binding("ClusterRole", "admin"), expect: /built-in ClusterRole admin/ },
        ],
    })),
];
