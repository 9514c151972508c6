/**
 * The per-file CPU record of `npm run bench -- --suite` (tools/spec-cpu.cjs; QA-2), run as the bench runs it:
 * real mocha, parallel workers, the hooks given with --require. One spec file spends CPU in its worker, the
 * other in a program it starts; each must show up on its own side.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../support/plan";

const MOCHA = path.join(REPO_ROOT, "node_modules", "mocha", "bin", "mocha.js");
const HOOKS = path.join(REPO_ROOT, "tools", "spec-cpu.cjs");
/** CPU each fixture spends, ms: well above the clock-tick resolution (10 ms) of the children's figure. */
const BUSY_MS = 200;

interface Line {
    file: string;
    wallMs: number;
    workerCpuMs: number;
    childrenCpuMs: number;
}

describe("npm run bench -- --suite records each spec file's worker and program CPU (QA-2)", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-spec-cpu-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    function runMocha(env: NodeJS.ProcessEnv): { status: number | null; output: string } {
        const busy = `const end = process.cpuUsage().user + ${BUSY_MS * 1000}; while (process.cpuUsage().user < end);`;
        fs.writeFileSync(path.join(dir, "in-worker.spec.js"), `it("works in the worker", () => { ${busy} });\n`);
        fs.writeFileSync(
            path.join(dir, "in-program.spec.js"),
            [
                `const { spawnSync } = require("child_process");`,
                `it("works in a program", () => { spawnSync(process.execPath, ["-e", ${JSON.stringify(busy)}]); });`,
            ].join("\n"),
        );
        const result = spawnSync(
            process.execPath,
            [MOCHA, "--no-config", "--parallel", "--jobs", "2", "--require", HOOKS, "--reporter", "dot", "*.spec.js"],
            { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8" },
        );
        return { status: result.status, output: result.stdout + result.stderr };
    }

    it("writes one line per spec file with its CPU on the side where it was spent", () => {
        const record = path.join(dir, "record.jsonl");
        const { status, output } = runMocha({ BOOKBUDDY_SPEC_CPU: record });
        assert.equal(status, 0, output);
        const lines = fs
            .readFileSync(record, "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as Line);
        const byName = new Map(lines.map((l) => [path.basename(l.file), l]));
        assert.deepEqual([...byName.keys()].sort(), ["in-program.spec.js", "in-worker.spec.js"]);
        const worker = byName.get("in-worker.spec.js")!;
        const program = byName.get("in-program.spec.js")!;
        assert.ok(worker.workerCpuMs >= BUSY_MS * 0.9, JSON.stringify(worker));
        assert.ok(worker.childrenCpuMs < BUSY_MS / 2, JSON.stringify(worker));
        assert.ok(program.childrenCpuMs >= BUSY_MS * 0.9, JSON.stringify(program));
        assert.ok(program.workerCpuMs < BUSY_MS, JSON.stringify(program));
        for (const l of lines) assert.ok(l.wallMs >= BUSY_MS * 0.9, JSON.stringify(l));
    });

    it("has no hooks without BOOKBUDDY_SPEC_CPU, so npm test runs exactly as before", () => {
        const saved = process.env.BOOKBUDDY_SPEC_CPU;
        delete process.env.BOOKBUDDY_SPEC_CPU;
        delete require.cache[HOOKS];
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            assert.deepEqual(require(HOOKS).mochaHooks, {});
        } finally {
            delete require.cache[HOOKS];
            if (saved !== undefined) process.env.BOOKBUDDY_SPEC_CPU = saved;
        }
    });
});
