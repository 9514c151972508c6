import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "k8s-seccomp-profile";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const profile = (type: unknown) => (type === undefined ? {} : { seccompProfile: { type } });
const pod = (podType: unknown, containerType: unknown) => ({
    spec: {
        template: {
            spec: {
                securityContext: profile(podType),
                containers: [{ name: "api", image: "api:1.0.0", securityContext: profile(containerType) }],
            },
        },
    },
});

describe(`${RULE}: the effective seccomp profile of each container (APP-1, POL-2)`, () => {
    it("accepts RuntimeDefault or Localhost on the pod or on the container", async () => {
        await pinResource(RULE, DEPLOYMENT, pod("RuntimeDefault", undefined), {});
        await pinResource(RULE, DEPLOYMENT, pod(undefined, "Localhost"), {});
    });

    it("lets the container's profile override the pod's, both ways", async () => {
        await pinResource(RULE, DEPLOYMENT, pod("RuntimeDefault", "Unconfined"), {
            violations: ['containers[0] (api) runs with seccomp profile "Unconfined"; expected RuntimeDefault or Localhost.'],
        });
        await pinResource(RULE, DEPLOYMENT, pod("Unconfined", "RuntimeDefault"), {});
    });

    it("reports a container without any profile", async () => {
        await pinResource(RULE, DEPLOYMENT, pod(undefined, undefined), {
            violations: [
                "containers[0] (api) has no seccomp profile (neither the pod nor the container sets securityContext.seccompProfile).",
            ],
        });
    });

    it("cannot judge an unknown container profile, or an unknown pod profile the container does not override", async () => {
        const unknown = [cannotJudge(RULE, "containers[0] (api) seccompProfile")];
        await pinResource(RULE, DEPLOYMENT, pod("RuntimeDefault", WIRE.unknown), { cannotJudge: unknown });
        await pinResource(RULE, DEPLOYMENT, pod(WIRE.unknown, undefined), { cannotJudge: unknown });
        await pinResource(RULE, DEPLOYMENT, pod(WIRE.unknown, "RuntimeDefault"), {});
        await pinResource(RULE, DEPLOYMENT, pod(WIRE.unknown, "Unconfined"), {
            violations: ['containers[0] (api) runs with seccomp profile "Unconfined"; expected RuntimeDefault or Localhost.'],
        });
    });
});
