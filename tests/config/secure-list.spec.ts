/**
 * The documented secure forms of `alarmHttpsEndpoints` (ALARM-1, SEC-2, ENV-6): one `secure:` JSON list
 * (`pulumi config set --secret alarmHttpsEndpoints '["https://..."]'`) and a list of `secure:` items
 * (`pulumi config set --secret --path 'alarmHttpsEndpoints[0]' https://...`). The stack file is read the way
 * the credential-free preview reads it (the ciphertext cannot be seen) and the way the engine hands the
 * decrypted value over (JSON text); neither form is rejected, and no problem ever echoes the value.
 */
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, parseStackConfig } from "../../infra/config";
import { UNREADABLE_SECRET } from "../../infra/config/spec";
import { readProject, readStackConfig } from "../../tools/plan/render";
import { SECRET_PLACEHOLDER } from "../../tools/plan/types";
import { REPO_ROOT } from "../support/plan";

const KEY = "bookbuddy:alarmHttpsEndpoints";

/** A copy of the project with a stack file `qa` = prod plus the given lines. */
function stackWith(extra: string): { config: Record<string, string>; secretKeys: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-config-"));
    try {
        fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.symlinkSync(path.join(REPO_ROOT, "infra"), path.join(dir, "infra"));
        fs.writeFileSync(
            path.join(dir, "Pulumi.qa.yaml"),
            fs.readFileSync(path.join(REPO_ROOT, "Pulumi.prod.yaml"), "utf8") + extra,
        );
        return readStackConfig(dir, readProject(dir), "qa");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const ciphertext = () => `v1:${randomBytes(12).toString("base64")}:${randomBytes(24).toString("base64")}`;

describe("ALARM-1 SEC-2 the secure JSON list of alarmHttpsEndpoints", () => {
    it("one `secure:` JSON list is accepted by the offline preview, which cannot see inside it", () => {
        const { config, secretKeys } = stackWith(`  ${KEY}:\n    secure: ${ciphertext()}\n`);
        assert.deepEqual(
            secretKeys.filter((k) => k === KEY),
            [KEY],
        );
        const cfg = parseStackConfig("qa", config, new Set(secretKeys));
        assert.ok(cfg.alarmHttpsEndpoints.length >= 1, "at least one (opaque) endpoint");
        for (const e of cfg.alarmHttpsEndpoints) assert.equal(e.kind, "secret");
    });

    it("the schema's unreadable-secret text is the one the preview hands over", () => {
        assert.equal(UNREADABLE_SECRET, SECRET_PLACEHOLDER);
    });

    it("the engine's decrypted JSON text gives one endpoint per element", () => {
        const { config, secretKeys } = stackWith(`  ${KEY}:\n    secure: ${ciphertext()}\n`);
        const urls = [
            `https://hooks.example/${randomBytes(8).toString("hex")}`,
            `https://pager.example/${randomBytes(8).toString("hex")}`,
        ];
        const cfg = parseStackConfig("qa", { ...config, [KEY]: JSON.stringify(urls) }, new Set(secretKeys));
        assert.deepEqual(
            cfg.alarmHttpsEndpoints.map((e) => e.value),
            urls,
        );
    });

    it("a list of `secure:` items (set with --path) is accepted too", () => {
        const { config, secretKeys } = stackWith(`  ${KEY}:\n    - secure: ${ciphertext()}\n    - secure: ${ciphertext()}\n`);
        const cfg = parseStackConfig("qa", config, new Set(secretKeys));
        assert.equal(cfg.alarmHttpsEndpoints.length, 2);
    });

    it("a plaintext list is refused without echoing it, and a malformed secret without echoing it", () => {
        const url = `https://hooks.example/${randomBytes(8).toString("hex")}`;
        const { config, secretKeys } = stackWith(`  ${KEY}:\n    - ${url}\n`);
        let error: unknown;
        try {
            parseStackConfig("qa", config, new Set(secretKeys));
        } catch (e) {
            error = e;
        }
        assert.ok(error instanceof ConfigError);
        assert.match(String(error.message), /alarmHttpsEndpoints\[0\].*pulumi config set --secret/);
        assert.ok(!error.message.includes(url));

        const secret = stackWith(`  ${KEY}:\n    secure: ${ciphertext()}\n`);
        const notAList = `https://hooks.example/${randomBytes(8).toString("hex")}`;
        assert.throws(
            () => parseStackConfig("qa", { ...secret.config, [KEY]: notAList }, new Set(secret.secretKeys)),
            (e: Error) => e instanceof ConfigError && !e.message.includes(notAList) && /expected a list/.test(e.message),
        );
    });
});
