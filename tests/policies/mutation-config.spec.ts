/**
 * The mutation-testing setup (POL-1, QA-1; docs/mutation.md): stryker.config.json mutates every rule file of
 * both packs, so a new rule file cannot be left out; it runs the policy specs with per-test coverage on at
 * most two runners, incrementally, and keeps its sandbox, reports and incremental file in the ignored cache.
 * `npm run mutation` stays outside `npm test`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const config = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8")) as {
    mutate: string[];
    mochaOptions: { spec: string[]; ignore?: string[] };
    coverageAnalysis: string;
    concurrency: number;
    incremental: boolean;
    incrementalFile: string;
    tempDirName: string;
    ignoreStatic: boolean;
    htmlReporter: { fileName: string };
    jsonReporter: { fileName: string };
    thresholds: { break: number | null };
};

/** A glob as Stryker reads it: `**` any path, `*` any name part, everything else literal. */
function globRegex(glob: string): RegExp {
    const source = glob
        .split(/(\*\*\/|\*\*|\*)/)
        .map((part) =>
            part === "**/"
                ? "(?:.*/)?"
                : part === "**"
                  ? ".*"
                  : part === "*"
                    ? "[^/]*"
                    : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"),
        )
        .join("");
    return new RegExp(`^${source}$`);
}

function mutated(file: string): boolean {
    const include = config.mutate.filter((g) => !g.startsWith("!")).some((g) => globRegex(g).test(file));
    const exclude = config.mutate.filter((g) => g.startsWith("!")).some((g) => globRegex(g.slice(1)).test(file));
    return include && !exclude;
}

const ruleFiles = ["security", "maintenance"].flatMap((pack) =>
    fs
        .readdirSync(path.join(ROOT, "policies", pack, "rules"))
        .filter((f) => f.endsWith(".ts") && f !== "index.ts")
        .map((f) => `policies/${pack}/rules/${f}`),
);

describe("mutation testing: stryker.config.json covers every rule file (POL-1, QA-1)", () => {
    it("finds the rule files of both packs", () => {
        assert.ok(
            ruleFiles.some((f) => f.startsWith("policies/security/")) &&
                ruleFiles.some((f) => f.startsWith("policies/maintenance/")),
        );
    });

    it("mutates every rule file of both packs", () => {
        assert.deepStrictEqual(
            ruleFiles.filter((f) => !mutated(f)),
            [],
        );
    });

    it("does not mutate the packs' index files, which only assemble the rules", () => {
        assert.deepStrictEqual(["policies/security/rules/index.ts", "policies/maintenance/rules/index.ts"].filter(mutated), []);
    });

    it("runs the policy specs, and leaves out only spec files that exist (the whole-stack renders)", () => {
        assert.ok(config.mochaOptions.spec.some((g) => globRegex(g).test("tests/policies/rules/some-rule.spec.ts")));
        assert.ok(config.mochaOptions.spec.some((g) => globRegex(g).test("tests/policies/mutation-cases.spec.ts")));
        for (const ignored of config.mochaOptions.ignore ?? []) {
            assert.ok(fs.existsSync(path.join(ROOT, ignored)), `${ignored} is ignored but does not exist`);
        }
    });

    it("is incremental, per-test, on at most two runners, and fails below 90 % killed", () => {
        assert.strictEqual(config.incremental, true);
        assert.strictEqual(config.coverageAnalysis, "perTest");
        assert.ok(config.concurrency >= 1 && config.concurrency <= 2, `concurrency ${config.concurrency}`);
        assert.strictEqual(config.thresholds.break, 90);
    });

    it("keeps its sandbox, reports and incremental file in the git-ignored cache", () => {
        const ignored = fs
            .readFileSync(path.join(ROOT, ".gitignore"), "utf8")
            .split("\n")
            .map((l) => l.trim());
        assert.ok(ignored.includes("/.cache/"));
        for (const file of [
            config.incrementalFile,
            config.tempDirName,
            config.htmlReporter.fileName,
            config.jsonReporter.fileName,
        ]) {
            assert.ok(file.startsWith(".cache/"), `${file} is outside .cache/`);
        }
    });

    it("offers npm run mutation and keeps it out of npm test", () => {
        const scripts = (
            JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
        ).scripts;
        assert.strictEqual(scripts["mutation"], "stryker run");
        assert.doesNotMatch(scripts["test"], /stryker/);
    });
});
