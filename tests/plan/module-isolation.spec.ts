/**
 * A render requires the program afresh (its top-level code declares the resources), but spec files share a
 * test worker: once a render is done, every module that was loaded before it must be the same instance again,
 * or a later spec file imports one copy of a class while the code it tests throws another (`instanceof` fails).
 * Seen as "expected a RotationError, got RotationError" when the rotation specs ran after a render (QA-2).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as rotation from "../../lambdas/rotation/src/index";
import * as thresholds from "../../components/shared/thresholds";
import { renderProgram, renderStack } from "../../tools/plan/render";
import { REPO_ROOT } from "../support/plan";

const ROTATION = require.resolve("../../lambdas/rotation/src/index");
const THRESHOLDS = require.resolve("../../components/shared/thresholds");

describe("a render leaves the modules it found loaded as they were (CI-2, QA-2)", function () {
    this.timeout(240_000);

    it("renderStack of the repository: the rotation Lambda and a component module keep their instance", async () => {
        await renderStack({ projectDir: REPO_ROOT, stack: "dev" });
        assert.equal(require.cache[ROTATION]?.exports, rotation, "lambdas/rotation/src/index was replaced");
        assert.equal(require.cache[THRESHOLDS]?.exports, thresholds, "components/shared/thresholds was replaced");
    });

    it("renderStack of a project linking the repository's folders: same", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-isolation-"));
        try {
            for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
            for (const d of ["infra", "components", "lambdas", "node_modules"])
                fs.symlinkSync(path.join(REPO_ROOT, d), path.join(dir, d));
            const doc = await renderStack({ projectDir: dir, stack: "dev" });
            assert.ok(doc.steps.length > 100, "the linked program ran afresh and declared its resources");
            assert.equal(require.cache[ROTATION]?.exports, rotation);
            assert.equal(require.cache[THRESHOLDS]?.exports, thresholds);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("renderProgram with fresh modules: the program gets new instances, the caller keeps its own", async () => {
        let seen: unknown;
        await renderProgram(
            () => {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                seen = require(THRESHOLDS);
                return {};
            },
            { freshModules: (file) => file === THRESHOLDS },
        );
        assert.notEqual(seen, thresholds, "the render loaded its own copy");
        assert.equal(require.cache[THRESHOLDS]?.exports, thresholds, "and the earlier one is back");
    });
});
