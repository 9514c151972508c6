/**
 * The TypeScript loader of the preview, the tests and every program they start (tools/ts-loader.cjs; CI-2, QA-2):
 * a file is compiled once and then read from the cache, and a run whose files are all cached never loads the
 * compiler (about 70 ms of every process start). Each case is a real `node -r ./tools/ts-loader.cjs` process.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../support/plan";

const LOADER = path.join(REPO_ROOT, "tools", "ts-loader.cjs");

interface Loaded {
    value: number;
    compilerLoaded: boolean;
}

/** Requires `file` under the loader in a fresh node and reports its export and whether sucrase was loaded. */
function load(file: string, env: NodeJS.ProcessEnv = {}): Loaded {
    const probe = [
        `const value = require(${JSON.stringify(file)}).value;`,
        `const compilerLoaded = Object.keys(require.cache).some((f) => /[\\\\/]sucrase[\\\\/](?!package\\.json$)/.test(f));`,
        "process.stdout.write(JSON.stringify({ value, compilerLoaded }));",
    ].join("\n");
    // Empty, not absent: under c8 Node hands a child the parent's NODE_V8_COVERAGE unless env names it.
    const result = spawnSync(process.execPath, ["-r", LOADER, "-e", probe], {
        cwd: REPO_ROOT,
        env: { ...process.env, NODE_V8_COVERAGE: "", ...env },
        encoding: "utf8",
    });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Loaded;
}

describe("the TypeScript loader compiles each file once and loads no compiler when all are cached (CI-2, QA-2)", () => {
    let dir: string;
    let file: string;
    // A value no earlier run can have cached: the cache is keyed by the file's path and content.
    const nonce = crypto.randomInt(1, 2 ** 31);

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-loader-"));
        file = path.join(dir, "module.ts");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("loads sucrase for a file not yet compiled, not once the file is cached, and again when it changes", () => {
        fs.writeFileSync(file, `export const value: number = ${nonce};\n`);
        assert.deepEqual(load(file), { value: nonce, compilerLoaded: true });
        assert.deepEqual(load(file), { value: nonce, compilerLoaded: false });
        fs.writeFileSync(file, `export const value: number = ${nonce + 1};\n`);
        assert.deepEqual(load(file), { value: nonce + 1, compilerLoaded: true });
    });

    it("under coverage compiles with TypeScript and never loads sucrase", () => {
        const coverage = fs.mkdtempSync(path.join(dir, "coverage-"));
        fs.writeFileSync(file, `export const value: number = ${nonce + 2};\n`);
        assert.deepEqual(load(file, { NODE_V8_COVERAGE: coverage }), { value: nonce + 2, compilerLoaded: false });
    });
});
