import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "k8s-drop-all-capabilities";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const pod = (capabilities: unknown) => ({
    spec: {
        template: {
            spec: { containers: [{ name: "api", image: "api:1.0.0", securityContext: { capabilities } }] },
        },
    },
});

describe(`${RULE}: dropped and added Linux capabilities (APP-1, POL-2)`, () => {
    it("accepts drop ALL (any case) with NET_BIND_SERVICE added back, with or without the CAP_ prefix", async () => {
        await pinResource(RULE, DEPLOYMENT, pod({ drop: ["all"], add: ["NET_BIND_SERVICE"] }), {});
        await pinResource(RULE, DEPLOYMENT, pod({ drop: ["ALL"], add: ["cap_net_bind_service"] }), {});
    });

    it("reports the capabilities added back, joined, with CAP_ removed only as a prefix", async () => {
        await pinResource(RULE, DEPLOYMENT, pod({ drop: ["ALL"], add: ["CAP_SYS_ADMIN", "NET_RAW", "NET_BIND_SERVICE"] }), {
            violations: ["containers[0] (api) adds capabilities SYS_ADMIN, NET_RAW; only NET_BIND_SERVICE may be added back."],
        });
        await pinResource(RULE, DEPLOYMENT, pod({ drop: ["ALL"], add: ["X_CAP_NET_BIND_SERVICE"] }), {
            violations: [
                "containers[0] (api) adds capabilities X_CAP_NET_BIND_SERVICE; only NET_BIND_SERVICE may be added back.",
            ],
        });
    });

    it("reports a container that does not drop ALL", async () => {
        await pinResource(RULE, DEPLOYMENT, pod({ drop: ["NET_RAW"] }), {
            violations: ['containers[0] (api) must drop ALL capabilities (securityContext.capabilities.drop: ["ALL"]).'],
        });
    });

    it("cannot judge capabilities with an unknown value inside", async () => {
        await pinResource(RULE, DEPLOYMENT, pod({ drop: WIRE.unknown }), {
            cannotJudge: [cannotJudge(RULE, "containers[0] (api).securityContext.capabilities")],
        });
    });
});
