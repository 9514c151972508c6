import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "k8s-run-as-non-root";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const pod = (podContext: Record<string, unknown>, containerContext: Record<string, unknown>) => ({
    spec: {
        template: {
            spec: {
                securityContext: podContext,
                containers: [{ name: "api", image: "api:1.0.0", securityContext: containerContext }],
            },
        },
    },
});
const NOT_SET = "containers[0] (api) does not set runAsNonRoot: true (at pod or container level).";

describe(`${RULE}: pod-level and container-level security contexts (APP-1)`, () => {
    it("reports a pod-level runAsUser 0 even when runAsNonRoot is true", async () => {
        await pinResource(RULE, DEPLOYMENT, pod({ runAsUser: 0 }, { runAsNonRoot: true }), {
            violations: ["containers[0] (api) runs as uid 0."],
        });
    });

    it("lets the container override the pod, both ways", async () => {
        await pinResource(RULE, DEPLOYMENT, pod({ runAsNonRoot: true }, { runAsNonRoot: false }), { violations: [NOT_SET] });
        await pinResource(RULE, DEPLOYMENT, pod({ runAsNonRoot: true, runAsUser: 0 }, { runAsUser: 1000 }), {});
    });

    it("cannot judge unknown values, naming the container and the field", async () => {
        await pinResource(RULE, DEPLOYMENT, pod({}, { runAsNonRoot: WIRE.unknown, runAsUser: 1000 }), {
            cannotJudge: [cannotJudge(RULE, "containers[0] (api).securityContext.runAsNonRoot")],
        });
        await pinResource(RULE, DEPLOYMENT, pod({ runAsNonRoot: true }, { runAsUser: WIRE.unknown }), {
            cannotJudge: [cannotJudge(RULE, "containers[0] (api).securityContext.runAsUser")],
        });
    });
});
