import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "k8s-image-pinned";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const withImage = (image: unknown) => ({ spec: { template: { spec: { containers: [{ name: "api", image }] } } } });
const unpinned = (image: unknown) => `containers[0] (api) image ${JSON.stringify(image)} has no pinned tag or digest.`;

describe(`${RULE}: image references (APP-1, REG-1)`, () => {
    it("reports an empty image, an image that is not a string and latest in any case", async () => {
        for (const image of ["", 5, "ghcr.io/bookbuddy/api:LATEST", "ghcr.io/bookbuddy/api"]) {
            await pinResource(RULE, DEPLOYMENT, withImage(image), { violations: [unpinned(image)] });
        }
    });

    it("accepts a tag or a digest, and cannot judge an unknown image", async () => {
        await pinResource(RULE, DEPLOYMENT, withImage("ghcr.io/bookbuddy/api:1.4.2"), {});
        await pinResource(RULE, DEPLOYMENT, withImage(`ghcr.io/bookbuddy/api@sha256:${"a".repeat(64)}`), {});
        await pinResource(RULE, DEPLOYMENT, withImage(WIRE.unknown), {
            cannotJudge: [cannotJudge(RULE, "containers[0] (api).image")],
        });
    });
});
