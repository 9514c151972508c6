import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "k8s-kernel-defaults";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const pod = (podContext: Record<string, unknown>, containerContext: Record<string, unknown> = {}) => ({
    spec: {
        template: {
            spec: {
                securityContext: podContext,
                containers: [{ name: "api", image: "api:1.0.0", securityContext: containerContext }],
            },
        },
    },
});

describe(`${RULE}: sysctls, /proc mount and Windows hostProcess (APP-1, POL-2)`, () => {
    it("accepts safe sysctls, no procMount, a null or Default procMount and hostProcess false", async () => {
        await pinResource(RULE, DEPLOYMENT, pod({ sysctls: [{ name: "net.ipv4.tcp_syncookies", value: "1" }] }), {});
        await pinResource(RULE, DEPLOYMENT, pod({}, { procMount: null }), {});
        await pinResource(RULE, DEPLOYMENT, pod({}, { procMount: "Default" }), {});
        await pinResource(
            RULE,
            DEPLOYMENT,
            pod({ windowsOptions: { hostProcess: false } }, { windowsOptions: { hostProcess: false } }),
            {},
        );
    });

    it("reports an unsafe sysctl and an entry without a name, by index", async () => {
        await pinResource(
            RULE,
            DEPLOYMENT,
            pod({ sysctls: [{ name: "kernel.shm_rmid_forced", value: "1" }, { name: "kernel.msgmax", value: "1" }, "x"] }),
            {
                violations: [
                    'securityContext.sysctls[1] sets "kernel.msgmax", which is not a safe namespaced sysctl.',
                    "securityContext.sysctls[2] sets undefined, which is not a safe namespaced sysctl.",
                ],
            },
        );
    });

    it("reports an unmasked /proc and hostProcess on the pod and on the container", async () => {
        await pinResource(RULE, DEPLOYMENT, pod({}, { procMount: "Unmasked" }), {
            violations: ['containers[0] (api) unmasks /proc (procMount "Unmasked").'],
        });
        await pinResource(RULE, DEPLOYMENT, pod({ windowsOptions: { hostProcess: true } }), {
            violations: ["the pod runs as a Windows hostProcess."],
        });
        await pinResource(RULE, DEPLOYMENT, pod({}, { windowsOptions: { hostProcess: true } }), {
            violations: ["containers[0] (api) runs as a Windows hostProcess."],
        });
    });

    it("cannot judge unknown sysctls, sysctl names, procMount or hostProcess, naming the field", async () => {
        await pinResource(RULE, DEPLOYMENT, pod({ sysctls: WIRE.unknown }), {
            cannotJudge: [cannotJudge(RULE, "securityContext.sysctls")],
        });
        await pinResource(RULE, DEPLOYMENT, pod({ sysctls: [{ name: WIRE.unknown, value: "1" }] }), {
            cannotJudge: [cannotJudge(RULE, "securityContext.sysctls[0].name")],
        });
        await pinResource(RULE, DEPLOYMENT, pod({ windowsOptions: { hostProcess: WIRE.unknown } }), {
            cannotJudge: [cannotJudge(RULE, "securityContext.windowsOptions.hostProcess")],
        });
        await pinResource(RULE, DEPLOYMENT, pod({}, { procMount: WIRE.unknown, windowsOptions: { hostProcess: WIRE.unknown } }), {
            cannotJudge: [
                cannotJudge(
                    RULE,
                    "containers[0] (api).securityContext.procMount",
                    "containers[0] (api).securityContext.windowsOptions.hostProcess",
                ),
            ],
        });
    });
});
