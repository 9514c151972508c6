import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    AlertThresholds,
    RuleGroup,
    alertingRules,
    alertRuleGroups,
    defaultAlertThresholds,
    runbookAnchor,
    toRuleFileYaml,
} from "../../components/monitoring/rules";
import { ruleCases } from "./rule-cases";
import { unitTestYaml } from "./promtool-unit";
import { describeRun, runTool, tempDir, testRulesEach, type RuleTestOutcome } from "./toolchain";

const BASE = "https://github.com/bookbuddy/bookbuddy-infra/blob/main";
const RUNBOOK = path.join(__dirname, "..", "..", "docs", "runbooks", "alerts.md");

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function githubSlug(heading: string): string {
    return heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

/** Sections of the runbook by anchor, each with its text up to the next heading of the same or higher level. */
function runbookSections(): Map<string, string> {
    const lines = fs.readFileSync(RUNBOOK, "utf8").split("\n");
    const sections = new Map<string, string>();
    lines.forEach((line, i) => {
        const m = /^(#{1,6}) (.+)$/.exec(line);
        if (!m) return;
        const level = m[1].length;
        let end = lines.length;
        for (let j = i + 1; j < lines.length; j++) {
            const n = /^(#{1,6}) /.exec(lines[j]);
            if (n && n[1].length <= level) {
                end = j;
                break;
            }
        }
        sections.set(githubSlug(m[2]), lines.slice(i + 1, end).join("\n"));
    });
    return sections;
}

describe("MON-2 LOG-2 HC-1 alert rules (components/monitoring/rules.ts)", function () {
    this.timeout(180_000);
    const groups = alertRuleGroups({}, { runbookBaseUrl: BASE });
    const alerts = alertingRules(groups);
    let work: { dir: string; cleanup: () => void };

    before(() => {
        work = tempDir("bookbuddy-rules");
        fs.writeFileSync(path.join(work.dir, "rules.yml"), toRuleFileYaml(groups));
    });
    after(() => work.cleanup());

    it("MON-2: the generated rule file passes promtool check rules", () => {
        const result = runTool("promtool", ["check", "rules", "rules.yml"], work.dir);
        assert.strictEqual(result.status, 0, describeRun("promtool check rules", result));
        assert.match(result.stdout, new RegExp(`SUCCESS: ${groups.flatMap((g) => g.rules).length} rules found`));
    });

    it("MON-2: covers every alert the operations documents ask for, each once", () => {
        const names = alerts.map((a) => a.alert);
        assert.strictEqual(new Set(names).size, names.length, `duplicate alert names: ${names}`);
        for (const required of [
            "ApiErrorRateHigh",
            "ApiLatencyP95High",
            "NodeCpuHigh",
            "ContainerCpuHigh",
            "NodeMemoryHigh",
            "NodeMemoryCritical",
            "ContainerMemoryHigh",
            "ContainerMemoryCritical",
            "NodeDiskUsageHigh",
            "PersistentVolumeUsageHigh",
            "QueueNearCapacity",
            "ProcessingRateDrop",
            "AvailabilityBudgetFastBurn",
            "AvailabilityBudgetSlowBurn",
            "UptimeBelowObjective",
            "HealthCheckFailing",
            "RolloutStuck",
            "BackupJobFailed",
            "BackupTooOld",
            "RestoreCheckFailed",
            "MaintenanceJobFailed",
            "LogFatalLines",
            "LogErrorLines",
            "LogWarnLines",
        ]) {
            assert.ok(names.includes(required), `alert ${required} is missing`);
        }
    });

    it("MON-2 MON-3: every alert has a house severity, summary, description and a runbook link into docs/runbooks/alerts.md", () => {
        const sections = runbookSections();
        for (const a of alerts) {
            assert.ok(["critical", "high", "warning"].includes(a.labels.severity), `${a.alert}: severity ${a.labels.severity}`);
            assert.ok(a.annotations.summary.length > 10, `${a.alert}: summary`);
            assert.ok(a.annotations.description.length > 30, `${a.alert}: description`);
            assert.strictEqual(a.annotations.runbook_url, `${BASE}/docs/runbooks/alerts.md#${runbookAnchor(a.alert)}`);
            const section = sections.get(runbookAnchor(a.alert));
            assert.ok(section !== undefined, `docs/runbooks/alerts.md has no heading with anchor #${runbookAnchor(a.alert)}`);
            for (const part of ["Meaning", "First checks", "Remediation", "Escalation"]) {
                assert.ok(section.includes(part), `runbook section ${a.alert} lacks "${part}"`);
            }
        }
    });

    it("MON-2 LOG-2: severities follow the operations documents (memory 80% warning / 85% critical, FATAL critical, ERROR high, WARN warning)", () => {
        const severity = (name: string) => alerts.find((a) => a.alert === name)?.labels.severity;
        assert.strictEqual(severity("NodeMemoryHigh"), "warning");
        assert.strictEqual(severity("NodeMemoryCritical"), "critical");
        assert.strictEqual(severity("ContainerMemoryHigh"), "warning");
        assert.strictEqual(severity("ContainerMemoryCritical"), "critical");
        assert.strictEqual(severity("LogFatalLines"), "critical");
        assert.strictEqual(severity("LogErrorLines"), "high");
        assert.strictEqual(severity("LogWarnLines"), "warning");
        assert.strictEqual(severity("HealthCheckFailing"), "critical");
        // Twins share a twin label, so Alertmanager's inhibition can pair them.
        const twins = new Map<string, string[]>();
        for (const a of alerts.filter((x) => x.labels.twin)) {
            twins.set(a.labels.twin!, [...(twins.get(a.labels.twin!) ?? []), a.labels.severity]);
        }
        assert.deepStrictEqual(Object.fromEntries(twins), {
            availability: ["critical", "high"],
            "node-memory": ["warning", "critical"],
            "container-memory": ["warning", "critical"],
        });
    });

    describe("MON-2 LOG-2 HC-1: promtool test rules, each alert fires at its threshold and stays quiet below it", () => {
        const cases = ruleCases();

        it("every alert has at least one firing and one quiet case", () => {
            for (const a of alerts) {
                const mine = cases.filter((c) => c.alert === a.alert);
                assert.ok(
                    mine.some((c) => c.firing.length > 0),
                    `${a.alert} has no case where it fires`,
                );
                assert.ok(
                    mine.some((c) => c.firing.length === 0),
                    `${a.alert} has no case where it stays quiet`,
                );
            }
        });

        // Every case file goes through one promtool run (QA-2); each case still passes or fails on its own.
        let outcomes: Map<string, RuleTestOutcome>;
        before(() => {
            const files = cases.map((c, i) => {
                const file = `case-${i}.yml`;
                fs.writeFileSync(path.join(work.dir, file), unitTestYaml("rules.yml", groups, c));
                return file;
            });
            outcomes = testRulesEach(files, work.dir);
        });

        cases.forEach((c, i) => {
            it(`${c.alert}: ${c.title}`, () => {
                const outcome = outcomes.get(`case-${i}.yml`);
                assert.ok(outcome, `case-${i}.yml was not run`);
                assert.ok(outcome.passed, outcome.report);
                assert.match(outcome.report, /SUCCESS/);
            });
        });
    });

    describe("MON-2: thresholds from stack config are what the rules use", () => {
        const flips: Array<{ change: Partial<AlertThresholds>; alert: string; exprHas: string; caseTitle?: RegExp }> = [
            { change: { errorRatePercent: 2 }, alert: "ApiErrorRateHigh", exprHas: "> 0.02" },
            { change: { memoryWarningPercent: 84 }, alert: "NodeMemoryHigh", exprHas: "> 0.84" },
            { change: { memoryCriticalPercent: 90 }, alert: "ContainerMemoryCritical", exprHas: "> 0.9" },
            { change: { queueCapacityPercent: 95 }, alert: "QueueNearCapacity", exprHas: "> 0.95" },
            { change: { processingRateDropPercent: 30 }, alert: "ProcessingRateDrop", exprHas: "< 0.7 *" },
            {
                change: { availabilityObjectivePercent: 99 },
                alert: "AvailabilityBudgetFastBurn",
                exprHas: "> 0.144",
                caseTitle: /8x the budget/,
            },
            { change: { cpuPercent: 90 }, alert: "NodeCpuHigh", exprHas: "> 0.9" },
            { change: { latencyP95Seconds: 2.5 }, alert: "ApiLatencyP95High", exprHas: "> 2.5" },
        ];
        // Every flip's files (the old firing case and the cases for the new threshold, each against the rules for the
        // new threshold) go through one promtool run (QA-2); each file is judged on its own output, so each flip
        // still passes or fails on its own. A flip whose files cannot be written fails its own test with the error.
        interface FlipFiles {
            changed: RuleGroup[];
            oldFile: string;
            newFiles: Array<{ file: string; title: string }>;
        }
        const prepared = new Map<string, FlipFiles | Error>();
        let outcomes: Map<string, RuleTestOutcome>;
        before(() => {
            for (const flip of flips) {
                try {
                    const changed = alertRuleGroups(flip.change, { runbookBaseUrl: BASE });
                    const ruleFile = `rules-${flip.alert}.yml`;
                    fs.writeFileSync(path.join(work.dir, ruleFile), toRuleFileYaml(changed));
                    const oldCase = ruleCases().find(
                        (c) => c.alert === flip.alert && c.firing.length > 0 && (!flip.caseTitle || flip.caseTitle.test(c.title)),
                    );
                    if (!oldCase) throw new Error(`no firing case for ${flip.alert} at the default threshold`);
                    const oldFile = `flip-old-${flip.alert}.yml`;
                    fs.writeFileSync(path.join(work.dir, oldFile), unitTestYaml(ruleFile, changed, oldCase));
                    const newCases = ruleCases({ ...defaultAlertThresholds, ...flip.change }).filter(
                        (c) => c.alert === flip.alert,
                    );
                    const newFiles = newCases.map((c, i) => {
                        const file = `flip-new-${flip.alert}-${i}.yml`;
                        fs.writeFileSync(path.join(work.dir, file), unitTestYaml(ruleFile, changed, c));
                        return { file, title: c.title };
                    });
                    prepared.set(flip.alert, { changed, oldFile, newFiles });
                } catch (err) {
                    prepared.set(flip.alert, err as Error);
                }
            }
            const files = [...prepared.values()].flatMap((p) =>
                p instanceof Error ? [] : [p.oldFile, ...p.newFiles.map((n) => n.file)],
            );
            outcomes = testRulesEach(files, work.dir);
        });

        for (const flip of flips) {
            it(`${flip.alert}: ${JSON.stringify(flip.change)} changes the expression, and the firing case at the default threshold flips`, () => {
                const files = prepared.get(flip.alert);
                if (files === undefined || files instanceof Error) throw files ?? new Error(`${flip.alert} was not prepared`);
                const before = alerts.find((a) => a.alert === flip.alert)!;
                const after = alertingRules(files.changed).find((a) => a.alert === flip.alert)!;
                assert.notStrictEqual(after.expr, before.expr);
                assert.ok(after.expr.includes(flip.exprHas), `expected "${flip.exprHas}" in:\n${after.expr}`);

                // The old firing case fails against the changed rules: the alert it expects is not firing.
                const flipped = outcomes.get(files.oldFile);
                assert.ok(flipped, `${files.oldFile} was not run`);
                assert.ok(!flipped.passed, `the old firing case passed against the changed rules\n${flipped.report}`);
                assert.match(flipped.report, /FAILED/);
                assert.match(flipped.report, new RegExp(`alertname: ${flip.alert},`));

                // The cases built for the new threshold pass against the new rules: the harness follows config.
                assert.ok(files.newFiles.length > 0, `no case for ${flip.alert} at the new threshold`);
                for (const { file, title } of files.newFiles) {
                    const outcome = outcomes.get(file);
                    assert.ok(outcome, `${file} was not run`);
                    assert.ok(outcome.passed, `${flip.alert}: ${title} at the new threshold\n${outcome.report}`);
                }
            });
        }
    });

    describe("MON-2 ENV-6: nonsensical thresholds and options stop the run with a clear message", () => {
        const bad: Array<[Partial<AlertThresholds>, RegExp]> = [
            [{ errorRatePercent: 0 }, /errorRatePercent must be a number above 0 and below 100, got 0/],
            [
                { memoryWarningPercent: 90, memoryCriticalPercent: 85 },
                /memoryWarningPercent \(90\) must be below memoryCriticalPercent \(85\)/,
            ],
            [{ processingRateOffset: "one week" }, /processingRateOffset must be a Prometheus duration/],
            [{ diskPercent: 120 }, /diskPercent must be a number above 0 and below 100/],
            [{ errorLogLinesPer5m: -1 }, /errorLogLinesPer5m must be a number of 0 or more/],
        ];
        for (const [thresholds, message] of bad) {
            it(`rejects ${JSON.stringify(thresholds)}`, () => {
                assert.throws(() => alertRuleGroups(thresholds, { runbookBaseUrl: BASE }), message);
            });
        }
        it("rejects a runbook base that is not https, a bad namespace and a broken job pattern", () => {
            assert.throws(
                () => alertRuleGroups({}, { runbookBaseUrl: "http://example.com" }),
                /runbookBaseUrl must be an https URL/,
            );
            assert.throws(() => alertRuleGroups({}, { runbookBaseUrl: BASE, namespaces: ["Book_Buddy"] }), /namespaces must be/);
            assert.throws(
                () => alertRuleGroups({}, { runbookBaseUrl: BASE, backupCronJobPattern: "pg-dump(" }),
                /backupCronJobPattern is not a valid regular expression/,
            );
        });
        it("uses the configured namespaces, API job and CronJob patterns in the expressions", () => {
            const custom = alertingRules(
                alertRuleGroups(
                    {},
                    {
                        runbookBaseUrl: `${BASE}/`,
                        namespaces: ["books", "books-worker"],
                        apiJob: "api",
                        backupCronJobPattern: "nightly-dump",
                    },
                ),
            );
            const expr = (name: string) => custom.find((a) => a.alert === name)!.expr;
            assert.match(expr("ContainerMemoryHigh"), /namespace=~"books\|books-worker"/);
            assert.match(expr("BackupJobFailed"), /owner_name=~"nightly-dump"/);
            assert.match(custom[0].annotations.runbook_url, /blob\/main\/docs\/runbooks\/alerts\.md#/);
            const groupsCustom = alertRuleGroups({}, { runbookBaseUrl: BASE, apiJob: "api" });
            const ratio = groupsCustom[0].rules[0];
            assert.match(ratio.expr, /job="api"/);
        });
    });
});
