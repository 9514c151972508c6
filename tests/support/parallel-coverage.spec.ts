/**
 * QA-1 QA-2: c8 over the parallel suite counts what the workers ran. Mocha's pool used to kill each worker one
 * second after asking it to exit, before V8 had written the coverage of a worker that loaded the Pulumi SDK, so
 * the parallel run reported 0 % and coverage needed a second, serial run. This runs c8 over mocha in parallel mode
 * with the repository's .mocharc.json on a probe spec and reads the probe module's line coverage.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "./tools";

describe("QA-1 QA-2 coverage over parallel mocha workers", function () {
    this.timeout(180_000);

    it("c8 counts the lines a parallel worker ran", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-coverage-"));
        try {
            const c8 = path.join(REPO_ROOT, "node_modules", "c8", "bin", "c8.js");
            const mocha = path.join(REPO_ROOT, "node_modules", "mocha", "bin", "mocha.js");
            const probeSpec = path.join("tests", "fixtures", "parallel-coverage", "probe.check.ts");
            const env = { ...process.env };
            delete env.NODE_V8_COVERAGE; // this spec may itself run under c8
            const run = spawnSync(
                process.execPath,
                [
                    c8,
                    "--all=false",
                    "--check-coverage=false",
                    "--include=tests/fixtures/parallel-coverage/probe.ts",
                    // .c8rc.json leaves tests/ out; the probe module lives there.
                    "--exclude=node_modules/**",
                    "--reporter=json-summary",
                    `--report-dir=${dir}/report`,
                    `--temp-directory=${dir}/raw`,
                    process.execPath,
                    mocha,
                    "--parallel",
                    "--jobs=2",
                    "--reporter=dot",
                    probeSpec,
                ],
                { cwd: REPO_ROOT, env, encoding: "utf8" },
            );
            assert.equal(run.status, 0, `c8 mocha exited ${run.status}\n${run.stdout}\n${run.stderr}`);
            assert.match(run.stdout, /1 passing/);
            const summary = JSON.parse(fs.readFileSync(path.join(dir, "report", "coverage-summary.json"), "utf8")) as Record<
                string,
                { lines: { total: number; covered: number } }
            >;
            const probe = Object.entries(summary).find(([file]) => file.endsWith(path.join("parallel-coverage", "probe.ts")));
            assert.ok(probe, `no coverage entry for probe.ts: ${Object.keys(summary).join(", ")}`);
            // The function, its `if` and the first return ran; the second return never did.
            assert.ok(probe[1].lines.covered > 0, `probe.ts: ${JSON.stringify(probe[1].lines)} (the worker's coverage was lost)`);
            assert.ok(
                probe[1].lines.covered < probe[1].lines.total,
                `probe.ts: ${JSON.stringify(probe[1].lines)} (a line that never ran counted)`,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
