/**
 * BKP-2, MNT-1: the test PostgreSQL (tests/support/postgres.ts) finds the server binaries the way the
 * machine has them installed, and says how to install them when they are missing, so the database job
 * tests fail loudly instead of passing without a server.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { abandonedServerDirs, findPostgresBinDir, POSTGRES_MISSING_MESSAGE, usableTemplate } from "../support/postgres";

describe("BKP-2 MNT-1 test PostgreSQL server binaries", () => {
    let empty: string;
    before(() => {
        empty = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-no-pg-"));
    });
    after(() => fs.rmSync(empty, { recursive: true, force: true }));

    it("fails with install instructions when initdb cannot be found anywhere", () => {
        assert.throws(
            () =>
                findPostgresBinDir({
                    binDir: empty,
                    pgConfig: path.join(empty, "pg_config"),
                    debianRoot: empty,
                    pathList: empty,
                }),
            (error: Error) => error.message === POSTGRES_MISSING_MESSAGE,
        );
        assert.match(POSTGRES_MISSING_MESSAGE, /PostgreSQL server binaries are needed/);
        assert.match(POSTGRES_MISSING_MESSAGE, /apt-get install postgresql/);
    });

    it("prefers the newest versioned Debian installation over older ones", () => {
        for (const version of ["13", "15", "9.6"]) {
            const bin = path.join(empty, version, "bin");
            fs.mkdirSync(bin, { recursive: true });
            for (const program of ["initdb", "pg_ctl"]) fs.writeFileSync(path.join(bin, program), "#!/bin/sh\n", { mode: 0o755 });
        }
        const found = findPostgresBinDir({
            binDir: "",
            pgConfig: path.join(empty, "pg_config"),
            debianRoot: empty,
            pathList: "",
        });
        assert.equal(found, path.join(empty, "15", "bin"));
    });

    it("finds the binaries installed on this machine", () => {
        const binDir = findPostgresBinDir();
        for (const program of ["initdb", "pg_ctl", "psql", "pg_dump", "pg_restore"]) {
            assert.ok(fs.existsSync(path.join(binDir, program)), `${program} in ${binDir}`);
        }
    });

    it("uses a kept template cluster only when it is a finished directory of its own user, never a link (QA-2)", () => {
        const uid = process.getuid!();
        const home = path.join(empty, "template");
        const data = path.join(home, "data");
        assert.equal(usableTemplate(home, data, uid), false, "absent");
        fs.mkdirSync(data, { recursive: true, mode: 0o700 });
        fs.chmodSync(home, 0o700);
        fs.writeFileSync(path.join(data, "PG_VERSION"), "15\n");
        assert.equal(usableTemplate(home, data, uid), false, "initdb did not finish: no completion mark");
        fs.writeFileSync(path.join(home, "complete"), "postgres (PostgreSQL) 15\n");
        assert.equal(usableTemplate(home, data, uid), true);
        assert.equal(usableTemplate(home, data, uid + 1), false, "another user's");
        fs.chmodSync(home, 0o755);
        assert.equal(usableTemplate(home, data, uid), false, "readable by others");
        fs.chmodSync(home, 0o700);
        const link = path.join(empty, "template-link");
        fs.symlinkSync(home, link);
        assert.equal(usableTemplate(link, path.join(link, "data"), uid), false, "a link planted at the name");
    });

    it("finds the server directories of test processes that are gone, and only those (QA-2)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-abandoned-"));
        try {
            const gone = spawnSync("true").pid!;
            const server = (name: string, owner?: number, postmaster?: number): string => {
                const base = path.join(dir, name);
                fs.mkdirSync(path.join(base, "data"), { recursive: true });
                if (owner !== undefined) fs.writeFileSync(path.join(base, "owner.pid"), `${owner}\n`);
                if (postmaster !== undefined) fs.writeFileSync(path.join(base, "data", "postmaster.pid"), `${postmaster}\n/x\n`);
                return base;
            };
            const abandoned = server("bookbuddy-pg-Aaaaa1", gone);
            server("bookbuddy-pg-Aaaaa2", process.pid); // its owner runs
            server("bookbuddy-pg-Aaaaa3"); // no owner named: being made, or an older run's
            server("bookbuddy-pg-Aaaaa4", gone, process.pid); // a server still runs from it
            server("bookbuddy-pg-template-0123456789abcdef", gone); // a kept template, not a server
            server("bookbuddy-other-Aaaaa5", gone);
            assert.deepEqual(abandonedServerDirs(dir), [abandoned]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
