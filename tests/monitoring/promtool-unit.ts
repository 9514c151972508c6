/**
 * Turns rule cases into `promtool test rules` files (MON-2, LOG-2): the expected alerts carry the rule's
 * own labels and its annotations with the case's labels filled in, exactly as Prometheus would render them.
 */
import * as YAML from "yaml";
import { AlertingRule, RuleGroup, alertingRules } from "../../components/monitoring/rules";
import { RuleCase } from "./rule-cases";
import { describeRun, runTool } from "./toolchain";

/** Fills `{{ $labels.name }}` references of an annotation; the rules use no other template syntax. */
export function renderAnnotation(template: string, labels: Record<string, string>): string {
    const rendered = template.replace(/\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}/g, (_, name: string) => {
        if (!(name in labels)) {
            throw new Error(`annotation refers to label ${name}, which the expected alert does not carry: ${template}`);
        }
        return labels[name];
    });
    if (rendered.includes("{{")) {
        throw new Error(`annotation uses template syntax the unit tests do not render: ${template}`);
    }
    return rendered;
}

function findAlert(groups: RuleGroup[], name: string): AlertingRule {
    const rule = alertingRules(groups).find((r) => r.alert === name);
    if (!rule) {
        throw new Error(`no alert named ${name} in the generated rules`);
    }
    return rule;
}

/** A promtool unit-test file for one case, reading the rule file `ruleFile` (relative to the test file). */
export function unitTestYaml(ruleFile: string, groups: RuleGroup[], c: RuleCase): string {
    const rule = findAlert(groups, c.alert);
    const ruleLabels = Object.fromEntries(Object.entries(rule.labels).filter((e): e is [string, string] => e[1] !== undefined));
    const expAlerts = c.firing.map((labels) => {
        const all = { ...ruleLabels, ...labels };
        return {
            exp_labels: all,
            exp_annotations: {
                summary: renderAnnotation(rule.annotations.summary, all),
                description: renderAnnotation(rule.annotations.description, all),
                runbook_url: rule.annotations.runbook_url,
            },
        };
    });
    const doc = {
        rule_files: [ruleFile],
        evaluation_interval: c.evaluationInterval ?? "1m",
        tests: [
            {
                interval: c.interval ?? "1m",
                input_series: c.series,
                alert_rule_test: [{ eval_time: c.evalTime, alertname: c.alert, exp_alerts: expAlerts }],
            },
        ],
    };
    return YAML.stringify(doc, { lineWidth: 0 });
}

/** Outcome of one unit-test file of a `promtool test rules` run. */
export interface UnitFileOutcome {
    passed: boolean;
    /** The file's own report: its SUCCESS, or its FAILED block with the errors promtool gave for it. */
    report: string;
}

/**
 * Runs `promtool test rules` once over files of which some are meant to fail, and judges each file from that run
 * (QA-2: one promtool start instead of one per file, and no second run for a failure that is the expected outcome).
 * promtool takes the files in turn and prints `Unit Testing:  <file>` and then `  SUCCESS` on stdout for each, but
 * writes `  FAILED:` and the errors of a failing file to stderr; the n-th FAILED block therefore belongs to the n-th
 * file without SUCCESS. When the output cannot be paired that way (a file missing from stdout, other text on stderr,
 * more or fewer blocks, an exit status that disagrees), each file without its SUCCESS is run alone instead.
 */
export function testRulesEach(files: string[], cwd: string): Map<string, UnitFileOutcome> {
    const outcomes = new Map<string, UnitFileOutcome>();
    if (files.length === 0) return outcomes;
    const batch = runTool("promtool", ["test", "rules", ...files], cwd);
    const sections = new Map<string, string>();
    let current: string | undefined;
    for (const line of batch.stdout.split("\n")) {
        const started = /^Unit Testing:\s+(.+?)\s*$/.exec(line);
        if (started) sections.set((current = started[1]), "");
        else if (current !== undefined) sections.set(current, `${sections.get(current)}${line}\n`);
    }
    const [preamble, ...blocks] = batch.stderr.split(/^ {2}FAILED:$/m);
    const failing = [...sections].filter(([, section]) => !/^ {2}SUCCESS$/m.test(section)).map(([file]) => file);
    const paired =
        files.every((file) => sections.has(file)) &&
        preamble.trim() === "" &&
        blocks.length === failing.length &&
        (batch.status === 0) === (failing.length === 0);
    for (const file of files) {
        const section = sections.get(file);
        if (section !== undefined && !failing.includes(file)) {
            outcomes.set(file, { passed: true, report: `Unit Testing: ${file}\n${section}` });
        } else if (paired) {
            outcomes.set(file, { passed: false, report: `Unit Testing: ${file}\n  FAILED:${blocks[failing.indexOf(file)]}` });
        } else {
            const alone = runTool("promtool", ["test", "rules", file], cwd);
            outcomes.set(file, {
                passed: alone.status === 0 && /SUCCESS/.test(alone.stdout),
                report: describeRun(`promtool test rules ${file}`, alone),
            });
        }
    }
    return outcomes;
}
