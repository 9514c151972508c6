/**
 * SEC-2: no plaintext secret in the rendered stacks (inputs, outputs, stack outputs), in the printout of the
 * offline preview, or in the repository's committed files.
 */
import { randomBytes } from "crypto";
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { readProject, readStackConfig, renderProgram } from "../../tools/plan/render";
import { PlanDocument } from "../../tools/plan/types";
import { renderedStack, REPO_ROOT, STACKS, programModules } from "../support/plan";

/** What the offline mocks return for every @pulumi/random value; it must only ever appear as "[secret]". */
const GENERATED = /offline-[0-9a-f]{24}/;
const PEM_PRIVATE = /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/;
/** AWS access key ids; AWS's documentation example ends in EXAMPLE and is allowed. */
const AWS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;
/** Property names that hold secret values when they hold a string. */
const SECRET_KEY = /^(?:.*password|.*authtoken|.*secretstring|.*secretbinary|.*privatekey|.*clientsecret|apikey|token|secret)$/i;
/** Values that are not secrets even under such a name: redactions, unknowns, references and settings. */
const HARMLESS = new Set(["[secret]", "[unknown]", ""]);

interface Finding {
    where: string;
    what: string;
}

/** Walks any JSON-like value and reports secret-looking content with its path. */
export function findSecrets(value: unknown, where: string, out: Finding[] = []): Finding[] {
    if (typeof value === "string") {
        if (GENERATED.test(value)) out.push({ where, what: "a generated value in plaintext" });
        if (PEM_PRIVATE.test(value)) out.push({ where, what: "a PEM private key" });
        for (const m of value.match(AWS_KEY_ID) ?? [])
            if (!m.endsWith("EXAMPLE")) out.push({ where, what: `an AWS access key id ${m.slice(0, 4)}...` });
        // JSON inside strings (policies, secret JSON, Helm values) is walked as well.
        const t = value.trim();
        if ((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]"))) {
            try {
                findSecrets(JSON.parse(t), `${where}(json)`, out);
            } catch {
                // not JSON after all
            }
        }
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => findSecrets(v, `${where}[${i}]`, out));
    } else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            const normalised = k.replace(/[^A-Za-z]/g, "");
            if (SECRET_KEY.test(normalised) && typeof v === "string" && !HARMLESS.has(v)) {
                out.push({ where: `${where}.${k}`, what: "a secret-named property with a plaintext value" });
            }
            findSecrets(v, `${where}.${k}`, out);
        }
    }
    return out;
}

function scanDocument(doc: PlanDocument): Finding[] {
    const out: Finding[] = [];
    for (const step of doc.steps) {
        const s = step.newState;
        if (!s) continue;
        findSecrets(s.inputs, `${s.urn} inputs`, out);
        findSecrets(s.outputs ?? {}, `${s.urn} outputs`, out);
    }
    findSecrets((doc as { outputs?: unknown }).outputs ?? {}, "stack outputs", out);
    return out;
}

const show = (f: Finding[]) => f.map((x) => `${x.where}: ${x.what}`).join("\n");

describe("SEC-2: no plaintext secret in the rendered stacks", function () {
    this.timeout(300_000);

    it("the detectors find what they look for (a check that cannot fail would prove nothing)", () => {
        const planted = findSecrets(
            {
                a: "offline-0123456789abcdef01234567",
                b: ["-----BEGIN RSA", "PRIVATE KEY-----\nMII\n-----END RSA", "PRIVATE KEY-----"].join(" "),
                c: "AKIA" + "Q".repeat(16),
                masterPassword: `planted-${randomBytes(8).toString("hex")}`,
                nested: JSON.stringify({ authToken: "abc" }),
                fine: {
                    password: "[secret]",
                    authTokenUpdateStrategy: "ROTATE",
                    secretArn: "arn:aws:secretsmanager:x",
                    docs: "AKIAIOSFODNN7EXAMPLE",
                },
            },
            "planted",
        );
        assert.deepEqual(
            planted.map((f) => f.where),
            ["planted.a", "planted.b", "planted.c", "planted.masterPassword", "planted.nested(json).authToken"],
        );
    });

    for (const stack of STACKS) {
        it(`${stack}: inputs, outputs and stack outputs hold no secret value`, async () => {
            const doc = await renderedStack(stack);
            assert.ok(doc.steps.length > 100, `${stack} rendered only ${doc.steps.length} resources`);
            const findings = scanDocument(doc);
            assert.equal(findings.length, 0, show(findings));
        });
    }

    it("a secure config value (a supplied API key) never reaches the rendered document", async () => {
        const project = readProject(REPO_ROOT);
        const { config, secretKeys } = readStackConfig(REPO_ROOT, project, "prod");
        const canary = "vendor-canary-7f3c9a1e5b";
        config["bookbuddy:apiKeys"] = JSON.stringify([{ name: "maps", source: "supplied", rotationDays: 365, value: canary }]);
        const doc = await renderProgram(
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            () => require(project.mainPath),
            {
                project: project.name,
                stack: "prod",
                config,
                secretKeys: [...secretKeys, "bookbuddy:apiKeys"],
                freshModules: programModules,
            },
        );
        const text = JSON.stringify(doc);
        assert.ok(text.includes("bookbuddy-prod/api-keys/maps"), "the supplied key's secret was not declared");
        assert.ok(!text.includes(canary), "the supplied key's value appears in the rendered document");
        assert.equal(scanDocument(doc).length, 0, show(scanDocument(doc)));
    });

    it("the printout of `npm run plan` holds no secret value", () => {
        // The command exits non-zero while mandatory policy violations exist; the printout is what matters here.
        const run = spawnSync(process.execPath, ["-r", "./tools/ts-loader.cjs", "tools/plan/cli.ts", "--stack", "prod"], {
            cwd: REPO_ROOT,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        const out = `${run.stdout}\n${run.stderr}`;
        assert.ok(!/the program failed/.test(out), `the preview did not render:\n${out.slice(0, 2000)}`);
        assert.match(out, /bookbuddy-prod-secret-rotation/, "the printout does not list the stack's resources");
        const findings = findSecrets(out.split("\n"), "printout");
        assert.equal(findings.length, 0, show(findings));
    });
});

describe("SEC-2: no plaintext secret in the repository's committed files", () => {
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: REPO_ROOT, encoding: "utf8" })
        .split("\0")
        .filter((f) => f && fs.existsSync(path.join(REPO_ROOT, f)) && !f.startsWith("node_modules/"));

    it("stack files set secret-named keys only as `secure:` values", () => {
        const stackFiles = files.filter((f) => /^Pulumi\.[^/]+\.yaml$/.test(f));
        assert.ok(stackFiles.length >= 3, `found ${stackFiles.join(", ")}`);
        const findings: Finding[] = [];
        const walk = (v: unknown, where: string) => {
            if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`));
            else if (v && typeof v === "object") {
                if ("secure" in (v as object)) return;
                for (const [k, x] of Object.entries(v)) {
                    const name = k
                        .split(":")
                        .pop()!
                        .replace(/[^A-Za-z]/g, "");
                    if ((SECRET_KEY.test(name) || name === "value") && (typeof x === "string" || typeof x === "number"))
                        findings.push({ where: `${where}.${k}`, what: "a plaintext value for a secret key" });
                    walk(x, `${where}.${k}`);
                }
            }
        };
        for (const f of stackFiles) {
            const doc = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, f), "utf8")) as { config?: unknown };
            walk(doc.config ?? {}, f);
            findSecrets(doc.config ?? {}, f, findings);
        }
        assert.equal(findings.length, 0, show(findings));
    });

    it("no committed file (code, docs, fixtures) holds a private key, an AWS key id or an unredacted generated value", () => {
        const findings: Finding[] = [];
        for (const f of files) {
            const full = path.join(REPO_ROOT, f);
            if (fs.statSync(full).size > 5_000_000) continue;
            const buf = fs.readFileSync(full);
            if (buf.includes(0)) continue; // binary
            const text = buf.toString("utf8");
            if (PEM_PRIVATE.test(text)) findings.push({ where: f, what: "a PEM private key" });
            for (const m of text.match(AWS_KEY_ID) ?? [])
                if (!m.endsWith("EXAMPLE")) findings.push({ where: f, what: `an AWS access key id ${m.slice(0, 4)}...` });
            if (f.startsWith("tests/fixtures/") && /\.(json|ya?ml)$/.test(f)) {
                const parsed = f.endsWith(".json") ? JSON.parse(text) : YAML.parse(text);
                findSecrets(parsed, f, findings);
            }
        }
        // This file plants detector samples built from pieces, never as literal secrets, so it passes too.
        assert.equal(findings.length, 0, show(findings));
    });
});
