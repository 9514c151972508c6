/**
 * The offline preview held against Pulumi's own protocols (DEP-2) and the production-only install (DEP-1):
 * - language-host.suite.ts: the program through `@pulumi/pulumi/cmd/run` against a stand-in engine;
 * - analyzer.suite.ts: both packs served by `run-policy-pack`, spoken to over the Analyzer gRPC protocol;
 * - dependencies.suite.ts: everything the program and the packs import and load is a production dependency.
 * They share one language-host run per stack and one served process per pack (runs.ts). They live in one
 * spec file so that a test runner spreading spec files over parallel workers still starts each only once.
 */
describe("Pulumi's own protocols, one language-host run per stack and one served process per pack (DEP-1, DEP-2, POL-3)", () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    require("./language-host.suite");
    require("./analyzer.suite");
    require("./dependencies.suite");
    /* eslint-enable @typescript-eslint/no-require-imports */
});
