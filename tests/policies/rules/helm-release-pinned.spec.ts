import { pinResource } from "./pin";

const RULE = "helm-release-pinned";
const RELEASE = "kubernetes:helm.sh/v3:Release";

describe(`${RULE}: versions and repositories (K8S-2, MON-1, LOG-1)`, () => {
    it("accepts an exact version with surrounding spaces, and an oci:// repository", async () => {
        await pinResource(
            RULE,
            RELEASE,
            { chart: "external-secrets", version: " 0.10.4 ", repositoryOpts: { repo: "oci://ghcr.io/external-secrets/charts" } },
            {},
        );
    });

    it("judges the repository when no chart is named, and names a missing repository", async () => {
        await pinResource(RULE, RELEASE, { version: "1.13.3", repositoryOpts: { repo: "https://charts.example.org" } }, {});
        await pinResource(
            RULE,
            RELEASE,
            { chart: "eck-operator", version: "1.13.3" },
            { violations: ['the chart must come from an https:// or oci:// repository (got "none").'] },
        );
    });
});
