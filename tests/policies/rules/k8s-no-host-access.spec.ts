import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "k8s-no-host-access";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const pod = (volumes: unknown, ports: unknown = [{ containerPort: 8080 }]) => ({
    spec: {
        template: {
            spec: {
                volumes,
                containers: [
                    { name: "api", image: "api:1.0.0", ports },
                    { name: "sidecar", image: "sidecar:1.0.0" },
                ],
            },
        },
    },
});

describe(`${RULE}: hostPath volumes and hostPort bindings (APP-1, POL-2)`, () => {
    it("accepts other volumes, ports without hostPort, and a null or zero hostPort", async () => {
        await pinResource(RULE, DEPLOYMENT, pod([{ name: "tmp", emptyDir: {} }]), {});
        await pinResource(
            RULE,
            DEPLOYMENT,
            pod(undefined, [
                { containerPort: 8080 },
                { containerPort: 8081, hostPort: null },
                { containerPort: 8082, hostPort: 0 },
            ]),
            {},
        );
    });

    it("reports hostPath volumes with and without a name or path", async () => {
        await pinResource(
            RULE,
            DEPLOYMENT,
            pod([
                { name: "tmp", emptyDir: {} },
                { name: "docker", hostPath: { path: "/var/run/docker.sock" } },
                { hostPath: {} },
            ]),
            {
                violations: ['volumes[1] (docker) mounts hostPath "/var/run/docker.sock".', 'volumes[2] mounts hostPath "".'],
            },
        );
    });

    it("reports a hostPort with the container and the port index", async () => {
        await pinResource(RULE, DEPLOYMENT, pod(undefined, [{ containerPort: 8080 }, { containerPort: 80, hostPort: 80 }]), {
            violations: ["containers[0] (api).ports[1] binds hostPort 80."],
        });
    });

    it("cannot judge unknown volumes, volume entries, port lists or host ports, and still judges the rest", async () => {
        await pinResource(RULE, DEPLOYMENT, pod(WIRE.unknown), { cannotJudge: [cannotJudge(RULE, "volumes")] });
        await pinResource(
            RULE,
            DEPLOYMENT,
            pod([{ name: "tmp", emptyDir: {} }, WIRE.unknown, { name: "h", hostPath: { path: "/" } }]),
            {
                violations: ['volumes[2] (h) mounts hostPath "/".'],
                cannotJudge: [cannotJudge(RULE, "volumes[1]")],
            },
        );
        await pinResource(RULE, DEPLOYMENT, pod(undefined, WIRE.unknown), {
            cannotJudge: [cannotJudge(RULE, "containers[0] (api).ports")],
        });
        await pinResource(RULE, DEPLOYMENT, pod(undefined, [{ containerPort: 8080, hostPort: WIRE.unknown }]), {
            cannotJudge: [cannotJudge(RULE, "containers[0] (api).ports[0].hostPort")],
        });
    });
});
