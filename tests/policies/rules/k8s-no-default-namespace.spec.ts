import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "k8s-no-default-namespace";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const NAMESPACE = 'the object must name its namespace (metadata.namespace), and not "default".';

describe(`${RULE}: metadata.namespace is written out (APP-1, POL-2)`, () => {
    it("accepts a component namespace", async () => {
        await pinResource(RULE, CONFIG_MAP, { metadata: { name: "c", namespace: "api" } }, {});
    });

    it("reports a missing, empty or default namespace", async () => {
        for (const namespace of [undefined, "", "default"]) {
            await pinResource(RULE, CONFIG_MAP, { metadata: { name: "c", namespace } }, { violations: [NAMESPACE] });
        }
    });

    it("cannot judge an unknown namespace", async () => {
        await pinResource(
            RULE,
            CONFIG_MAP,
            { metadata: { name: "c", namespace: WIRE.unknown } },
            { cannotJudge: [cannotJudge(RULE, "metadata.namespace")] },
        );
    });
});
