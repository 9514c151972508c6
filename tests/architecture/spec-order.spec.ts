/**
 * QA-2: `npm test` hands mocha's parallel workers every spec file exactly once, the slowest first
 * (tools/spec-order.cjs), so the run does not end waiting for a long file that started last.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const order = require("../../tools/spec-order.cjs") as { SLOW_FIRST: string[]; orderedSpecFiles: () => string[] };
const ROOT = path.resolve(__dirname, "..", "..");

/** What mocha itself finds for the glob `npm test` used before the order: the set the order must keep. */
function globbedSpecFiles(): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lookupFiles = require("mocha/lib/cli/lookup-files") as (
        pattern: string,
        extensions: string[],
        recursive: boolean,
    ) => string[];
    return lookupFiles(path.join(ROOT, "tests/**/*.spec.ts"), ["ts"], false).map((f) => path.relative(ROOT, f));
}

describe("QA-2 spec order of npm test (tools/spec-order.cjs)", () => {
    it("lists every spec file exactly once, the slow list first in its order, then the rest by path", () => {
        const files = order.orderedSpecFiles();
        assert.equal(new Set(files).size, files.length, "no file twice");
        assert.deepEqual([...files].sort(), globbedSpecFiles().sort());
        assert.deepEqual(files.slice(0, order.SLOW_FIRST.length), order.SLOW_FIRST);
        const rest = files.slice(order.SLOW_FIRST.length);
        assert.deepEqual(rest, [...rest].sort());
        assert.ok(files.includes("tests/architecture/spec-order.spec.ts"));
    });

    it("npm test and npm run coverage take their files from it", () => {
        const scripts = (
            JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
        ).scripts;
        assert.equal(scripts.test, "mocha $(node tools/spec-order.cjs)");
        assert.equal(scripts.coverage, "c8 mocha $(node tools/spec-order.cjs)");
    });

    it("a listed file that no longer exists stops the run with exit 2 and one line naming it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-spec-order-"));
        try {
            fs.mkdirSync(path.join(dir, "tools"));
            fs.mkdirSync(path.join(dir, "tests", "jobs"), { recursive: true });
            fs.copyFileSync(path.join(ROOT, "tools", "spec-order.cjs"), path.join(dir, "tools", "spec-order.cjs"));
            fs.writeFileSync(path.join(dir, "tests", "jobs", "backup.spec.ts"), "");
            const result = spawnSync(process.execPath, [path.join(dir, "tools", "spec-order.cjs")], { encoding: "utf8" });
            assert.equal(result.status, 2);
            assert.equal(result.stdout, "");
            const lines = result.stderr.trim().split("\n");
            assert.equal(lines.length, 1, result.stderr);
            assert.match(lines[0], /lists spec files that do not exist: .*tests\/protocol\/protocols\.spec\.ts/);
            assert.doesNotMatch(lines[0], /tests\/jobs\/backup\.spec\.ts/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
