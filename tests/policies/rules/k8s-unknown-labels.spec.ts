import { WIRE, cannotJudge, pinResource } from "./pin";

const DEPLOY = "kubernetes:apps/v1:Deployment";
const deployment = (pod: Record<string, unknown>) => ({
    metadata: { name: "api", namespace: "bookbuddy" },
    spec: {
        replicas: 2,
        selector: { matchLabels: { app: "api" } },
        template: { metadata: { labels: { app: "api" } }, spec: pod },
    },
});
const api = (securityContext: Record<string, unknown>) => ({ name: "api", image: "registry.example/api:1.0.0", securityContext });

describe("Kubernetes rules name the setting they cannot judge while it is unknown (APP-1, SEC-7, POL-4)", () => {
    it("k8s-read-only-root-fs names the container and its readOnlyRootFilesystem", async () => {
        const rule = "k8s-read-only-root-fs";
        await pinResource(rule, DEPLOY, deployment({ containers: [api({ readOnlyRootFilesystem: WIRE.unknown })] }), {
            cannotJudge: [cannotJudge(rule, "containers[0] (api).securityContext.readOnlyRootFilesystem")],
        });
    });

    it("k8s-no-service-account-token names automountServiceAccountToken", async () => {
        const rule = "k8s-no-service-account-token";
        await pinResource(rule, DEPLOY, deployment({ automountServiceAccountToken: WIRE.unknown, containers: [api({})] }), {
            cannotJudge: [cannotJudge(rule, "automountServiceAccountToken")],
        });
    });
});
