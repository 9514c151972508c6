/**
 * Turns rule cases into `promtool test rules` files (MON-2, LOG-2): the expected alerts carry the rule's
 * own labels and its annotations with the case's labels filled in, exactly as Prometheus would render them.
 */
import * as YAML from "yaml";
import { AlertingRule, RuleGroup, alertingRules } from "../../components/monitoring/rules";
import { RuleCase } from "./rule-cases";

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
