/**
 * The bench's SDK floor (tools/sdk-floor.cjs; CI-2, QA-2): a preview document's resources registered through
 * the SDK's own mocks, with nothing of the project loaded. Each case is a real `node` process, as the bench runs it.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../support/plan";

const SCRIPT = path.join(REPO_ROOT, "tools", "sdk-floor.cjs");
const DOCUMENT = path.join(REPO_ROOT, "tests", "tools", "fixtures", "offline-dev.json");

function run(file: string): { status: number | null; stdout: string; stderr: string } {
    return spawnSync(process.execPath, [SCRIPT, file], { cwd: REPO_ROOT, encoding: "utf8" });
}

describe("the SDK floor registers a preview document's resources and nothing of ours (CI-2, QA-2)", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-sdk-floor-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("the SDK's mocks receive every recorded resource, the stack included, and no project module is loaded", () => {
        const doc = JSON.parse(fs.readFileSync(DOCUMENT, "utf8")) as { steps: unknown[] };
        const probe = path.join(dir, "probe.cjs");
        // Runs the script as its main module, then lists the files loaded from the project outside node_modules.
        fs.writeFileSync(
            probe,
            [
                `process.argv.splice(1, 1, ${JSON.stringify(SCRIPT)});`,
                `process.on("exit", () => process.stderr.write(JSON.stringify(Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(REPO_ROOT + path.sep)}) && !f.includes("node_modules")))));`,
                `require("module").runMain();`,
            ].join("\n"),
        );
        const result = spawnSync(process.execPath, [probe, DOCUMENT], { cwd: REPO_ROOT, encoding: "utf8" });
        assert.equal(result.status, 0, result.stderr);
        assert.equal(result.stdout.trim(), String(doc.steps.length));
        assert.deepEqual(JSON.parse(result.stderr), [SCRIPT]);
    });

    it("a document that cannot be read or lacks what registration needs: exit 2, one line naming it", () => {
        const missing = path.join(dir, "missing.json");
        const noState = path.join(dir, "no-state.json");
        fs.writeFileSync(noState, JSON.stringify({ steps: [{ op: "create" }] }));
        for (const [file, expected] of [
            [missing, `error: ${missing}: not a readable JSON preview document (ENOENT)\n`],
            [noState, `error: ${noState}: steps[0].newState needs a type, a urn, custom and inputs\n`],
        ]) {
            const result = run(file);
            assert.equal(result.status, 2, file);
            assert.equal(result.stderr, expected);
            assert.equal(result.stdout, "");
        }
    });
});
