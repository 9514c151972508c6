/**
 * The packs are type-checked as the CLI checks them when it serves them (POL-3, DEP-1): `run-policy-pack` in the
 * installed @pulumi/pulumi registers ts-node with type checking and fixed compiler options in the pack directory,
 * which has no tsconfig.json. `npm run typecheck` runs policies/tsconfig.served.json with the same options over
 * every pack, so a pack that passes the project's own check but not the CLI's fails in CI, not in a deploy.
 * skipLibCheck there: ts-node reports the diagnostics of the files it compiles, not those of declaration files.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../support/plan";

const SERVED = path.join(REPO_ROOT, "policies", "tsconfig.served.json");

/** The directories holding a PulumiPolicy.yaml: the packs the CLI can serve. */
function packDirectories(): string[] {
    return fs
        .readdirSync(path.join(REPO_ROOT, "policies"), { withFileTypes: true })
        .filter((e) => e.isDirectory() && fs.existsSync(path.join(REPO_ROOT, "policies", e.name, "PulumiPolicy.yaml")))
        .map((e) => e.name)
        .sort();
}

describe("the packs type-check with the options the CLI's run-policy-pack gives ts-node (POL-3, DEP-1)", () => {
    const config = JSON.parse(fs.readFileSync(SERVED, "utf8")) as { compilerOptions: Record<string, unknown>; files: string[] };
    const typescriptVersion = (
        JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")) as { version: string }
    ).version
        .split(".")
        .map(Number);

    it("uses the compiler options the installed SDK registers, with type checking and no project file", () => {
        const source = fs.readFileSync(require.resolve("@pulumi/pulumi/cmd/run-policy-pack/run.js"), "utf8");
        const register = /tsn\.register\(\{([\s\S]*?)\}\);/.exec(source)?.[1] ?? "";
        assert.match(register, /typeCheck: true/, "run-policy-pack type-checks");
        assert.match(
            register,
            /skipProject: skipProject/,
            "without a tsconfig.json in the pack directory, ts-node skips project files",
        );
        assert.match(register, /target: "ES2020"/);
        // TypeScript 4.7 and later get nodenext (the project pins TypeScript 5).
        assert.match(register, /module: useNodeNext \? "nodenext" : "commonjs"/);
        assert.match(register, /moduleResolution: useNodeNext \? "nodenext" : "node"/);
        const [major, minor] = typescriptVersion;
        assert.ok(major > 4 || (major === 4 && minor >= 7), `TypeScript ${typescriptVersion.join(".")}`);
        const options = config.compilerOptions;
        assert.deepEqual(
            { target: options.target, module: options.module, moduleResolution: options.moduleResolution },
            { target: "ES2020", module: "nodenext", moduleResolution: "nodenext" },
        );
    });

    it("covers every pack, none of which has a tsconfig.json of its own", () => {
        const packs = packDirectories();
        assert.deepEqual(packs, ["maintenance", "security"]);
        assert.deepEqual(
            [...config.files].sort(),
            packs.map((p) => `${p}/index.ts`),
        );
        for (const p of packs) assert.ok(!fs.existsSync(path.join(REPO_ROOT, "policies", p, "tsconfig.json")), p);
    });

    it("runs in npm run typecheck", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
            scripts: Record<string, string>;
        };
        assert.match(manifest.scripts.typecheck, /tsc -p policies\/tsconfig\.served\.json/);
    });
});
