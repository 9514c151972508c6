/**
 * Restart of the postgres-exporter after a credential rotation, automated (SEC-8, MON-1).
 *
 * The exporter reads its login from environment variables once, at start. With alternating users (SEC-8) the login
 * it started with keeps working until the rotation after the next one, so it must restart once per rotation
 * interval, after External Secrets has refreshed its Secret. An hourly CronJob compares a SHA-256 of the Secret's
 * data with the one recorded on the Deployment's pod template and records the new one when they differ (the pods
 * roll with the current login): a restart only when the credentials changed, within the hour after the refresh.
 * Its Role may `get` that one Secret and `get`/`patch` that one Deployment, nothing else.
 *
 * Rejected alternatives (docs/secret-rotation.md): a file-mounted password (the exporter reads
 * DATA_SOURCE_PASS_FILE at start only, and the user name changes with each rotation); Stakater Reloader (one more
 * cluster-wide controller with watch rights on every Secret); an unconditional scheduled restart (a restart per
 * run whether or not anything changed, and a schedule that must be kept shorter than the rotation interval).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { restrictedContainerSecurityContext } from "../shared/k8s";

/** The script the CronJob runs (tested with a stateful kubectl stand-in). */
export const RELOAD_SCRIPT_PATH = path.join(__dirname, "reload-credentials.sh");

/** Pod-template annotation holding the SHA-256 of the credentials the pods started with (SEC-8). */
export const CREDENTIALS_ANNOTATION = "bookbuddy.io/credentials-sha256";

/** Image with bash, kubectl and coreutils, pinned (the cluster's Kubernetes minor). */
export const RELOAD_IMAGE = "docker.io/alpine/k8s:1.33.4";

/** Every hour, a few minutes past (External Secrets refreshes the exporter's Secret hourly). */
export const RELOAD_SCHEDULE = "23 * * * *";

/**
 * The Deployment name a chart gives its release, as Helm charts' `fullname` helper does without an override:
 * the release name when it contains the chart name, otherwise `<release>-<chart>` (63 characters at most).
 */
export function chartFullname(release: string, chart: string): string {
    return (release.includes(chart) ? release : `${release}-${chart}`).slice(0, 63).replace(/-+$/, "");
}

export interface CredentialReloadArgs {
    /** Namespace of the Secret and the Deployment. */
    namespace: string;
    /** Secret the Deployment's pods read their credentials from. */
    secretName: string;
    /** Deployment restarted when that Secret's data changes. */
    deploymentName: string;
    /** Resource names start with this, e.g. `postgres-exporter`. */
    name: string;
}

/** ServiceAccount, Role, RoleBinding, ConfigMap and CronJob of the reload, as children of `parent` (SEC-8, SEC-4). */
export function credentialReload(
    resourceName: string,
    args: CredentialReloadArgs,
    opts: { parent: pulumi.Resource; dependsOn: pulumi.Resource[] },
): k8s.batch.v1.CronJob {
    const ns = args.namespace;
    const base = `${args.name}-reload`;
    const labels = { "app.kubernetes.io/name": base, "app.kubernetes.io/part-of": "bookbuddy" };
    const sa = new k8s.core.v1.ServiceAccount(resourceName, { metadata: { name: base, namespace: ns, labels } }, opts);
    const role = new k8s.rbac.v1.Role(
        resourceName,
        {
            metadata: { name: base, namespace: ns, labels },
            rules: [
                { apiGroups: [""], resources: ["secrets"], resourceNames: [args.secretName], verbs: ["get"] },
                {
                    apiGroups: ["apps"],
                    resources: ["deployments"],
                    resourceNames: [args.deploymentName],
                    verbs: ["get", "patch"],
                },
            ],
        },
        opts,
    );
    const binding = new k8s.rbac.v1.RoleBinding(
        resourceName,
        {
            metadata: { name: base, namespace: ns, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: base },
            subjects: [{ kind: "ServiceAccount", name: base, namespace: ns }],
        },
        { parent: opts.parent, dependsOn: [...opts.dependsOn, role, sa] },
    );
    const script = new k8s.core.v1.ConfigMap(
        resourceName,
        {
            metadata: { name: base, namespace: ns, labels },
            data: { "reload-credentials.sh": fs.readFileSync(RELOAD_SCRIPT_PATH, "utf8") },
        },
        opts,
    );
    return new k8s.batch.v1.CronJob(
        resourceName,
        {
            metadata: { name: base, namespace: ns, labels },
            spec: {
                schedule: RELOAD_SCHEDULE,
                concurrencyPolicy: "Forbid",
                startingDeadlineSeconds: 600,
                successfulJobsHistoryLimit: 1,
                failedJobsHistoryLimit: 3,
                jobTemplate: {
                    spec: {
                        backoffLimit: 2,
                        activeDeadlineSeconds: 300,
                        ttlSecondsAfterFinished: 86400,
                        template: {
                            metadata: { labels },
                            spec: {
                                serviceAccountName: base,
                                restartPolicy: "Never",
                                securityContext: {
                                    runAsNonRoot: true,
                                    runAsUser: 65534,
                                    runAsGroup: 65534,
                                    seccompProfile: { type: "RuntimeDefault" },
                                },
                                containers: [
                                    {
                                        name: "reload",
                                        image: RELOAD_IMAGE,
                                        command: ["bash", "/opt/reload/reload-credentials.sh"],
                                        env: [
                                            { name: "NAMESPACE", value: ns },
                                            { name: "SECRET", value: args.secretName },
                                            { name: "DEPLOYMENT", value: args.deploymentName },
                                            { name: "ANNOTATION", value: CREDENTIALS_ANNOTATION },
                                            { name: "HOME", value: "/tmp" },
                                        ],
                                        securityContext: restrictedContainerSecurityContext(),
                                        resources: {
                                            requests: { cpu: "10m", memory: "32Mi" },
                                            limits: { cpu: "200m", memory: "128Mi" },
                                        },
                                        volumeMounts: [
                                            { name: "script", mountPath: "/opt/reload", readOnly: true },
                                            { name: "tmp", mountPath: "/tmp" },
                                        ],
                                    },
                                ],
                                volumes: [
                                    { name: "script", configMap: { name: base } },
                                    { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
                                ],
                            },
                        },
                    },
                },
            },
        },
        { parent: opts.parent, dependsOn: [...opts.dependsOn, binding, script] },
    );
}
