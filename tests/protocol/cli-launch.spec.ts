/**
 * How the Pulumi CLI starts a nodejs program (DEP-2), as the language-host specs reproduce it
 * (tests/protocol/cli-launch.ts): the program directory and entry point from Pulumi.yaml's `main`, the runtime
 * options' node arguments and environment, and the upstream facts kept current with the pinned SDK.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../support/plan";
import { CONTRACT_FILE, LaunchError, cliLaunch, splitLikeShell } from "./cli-launch";

describe("the CLI's launch of a nodejs program, from Pulumi.yaml (DEP-2)", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-launch-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** A project directory with the given Pulumi.yaml body and a program at app/index.ts. */
    function project(name: string, yaml: string): string {
        const root = path.join(dir, name);
        fs.mkdirSync(path.join(root, "app"), { recursive: true });
        fs.writeFileSync(path.join(root, "app", "index.ts"), "export {};\n");
        fs.writeFileSync(path.join(root, "Pulumi.yaml"), `name: ${name}\n${yaml}`);
        return root;
    }

    it("splits nodeargs as a shell does: blanks, quotes, backslashes and a comment", () => {
        assert.deepEqual(splitLikeShell("--require ../tools/ts-loader.cjs"), ["--require", "../tools/ts-loader.cjs"]);
        assert.deepEqual(splitLikeShell(`  --title "a b" 'c  d' e\\ f  x"y"'z' `), ["--title", "a b", "c  d", "e f", "xyz"]);
        assert.deepEqual(splitLikeShell(`"say \\"hi\\"" a#b # the rest`), ['say "hi"', "a#b"]);
        assert.deepEqual(splitLikeShell(""), []);
        assert.throws(() => splitLikeShell(`--x "open`), /unclosed double quote/);
        assert.throws(() => splitLikeShell(`--x 'open`), /unclosed single quote/);
    });

    it("a main directory is the program directory with the entry point `.`; a main file its directory and name", () => {
        const asDir = project("dir", "runtime: nodejs\nmain: app/\n");
        assert.deepEqual(cliLaunch(asDir), {
            rootDirectory: asDir,
            programDirectory: path.join(asDir, "app"),
            entryPoint: ".",
            nodeArgs: [],
            env: { PULUMI_NODEJS_TYPESCRIPT: "true" },
        });
        const asFile = project("file", "runtime: nodejs\nmain: app/index.ts\n");
        assert.equal(cliLaunch(asFile).programDirectory, path.join(asFile, "app"));
        assert.equal(cliLaunch(asFile).entryPoint, "index.ts");
        const none = project("none", "runtime: nodejs\n");
        assert.equal(cliLaunch(none).programDirectory, none);
        assert.equal(cliLaunch(none).entryPoint, ".");
    });

    it("runtime options: typescript on unless turned off, tsconfig and nodeargs passed on; wrong types rejected", () => {
        const off = project(
            "off",
            "runtime:\n  name: nodejs\n  options:\n    typescript: false\n    tsconfig: tsconfig.build.json\n    nodeargs: --max-old-space-size=4096 --require ./x.cjs\n",
        );
        const launch = cliLaunch(off);
        assert.deepEqual(launch.env, { PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.build.json" });
        assert.deepEqual(launch.nodeArgs, ["--max-old-space-size=4096", "--require", "./x.cjs"]);
        const badArgs = project("bad-args", "runtime:\n  name: nodejs\n  options:\n    nodeargs: [--a]\n");
        assert.throws(
            () => cliLaunch(badArgs),
            (e: Error) => e instanceof LaunchError && /options\.nodeargs must be a string/.test(e.message),
        );
        const badTs = project("bad-ts", "runtime:\n  name: nodejs\n  options:\n    typescript: yes please\n");
        assert.throws(() => cliLaunch(badTs), /options\.typescript must be a boolean/);
        const missing = project("missing", "runtime: nodejs\nmain: nowhere/\n");
        assert.throws(() => cliLaunch(missing), /main: .*nowhere could not be read/);
    });

    it("this project: the program directory infra/, the entry `.`, the project's loader preloaded and no ts-node", () => {
        const launch = cliLaunch(REPO_ROOT);
        assert.equal(launch.programDirectory, path.join(REPO_ROOT, "infra"));
        assert.equal(launch.entryPoint, ".");
        assert.deepEqual(launch.env, {}, "typescript is off: the CLI registers no ts-node");
        const preload = launch.nodeArgs[launch.nodeArgs.indexOf("--require") + 1];
        // node resolves a relative --require against its working directory, the program directory.
        assert.equal(path.resolve(launch.programDirectory, preload), path.join(REPO_ROOT, "tools", "ts-loader.cjs"));
    });

    it("the upstream facts are for the pinned SDK: bumping @pulumi/pulumi needs them read again", () => {
        const facts = JSON.parse(fs.readFileSync(CONTRACT_FILE, "utf8")) as { sdkVersion: string; tag: string; commit: string };
        const installed = (
            JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string }
        ).version;
        assert.equal(
            facts.sdkVersion,
            installed,
            `${path.relative(REPO_ROOT, CONTRACT_FILE)} was read for @pulumi/pulumi ${facts.sdkVersion}; check the facts at the tag of ${installed} and update it`,
        );
        assert.match(facts.tag, /^v\d+\.\d+\.\d+$/);
        assert.match(facts.commit, /^[0-9a-f]{40}$/);
    });
});
