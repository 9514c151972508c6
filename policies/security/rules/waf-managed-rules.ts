import { defineResourceRule } from "../../lib/rule";
import { at, isRecord, isUnknown, list } from "../../lib/values";

/** Managed rule groups every web ACL includes; KnownBadInputs carries the Log4j (CVE-2021-44228) rules. */
const REQUIRED_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"];

/**
 * EDGE-1, POL-2: a web ACL that is associated but empty protects nothing (Checkov CKV_AWS_175/192/342, CKV2_AWS_47/76):
 * every WAFv2 web ACL includes the AWS common and known-bad-inputs rule groups, and every rule has an action.
 */
export const wafManagedRules = defineResourceRule({
    name: "waf-managed-rules",
    description:
        "WAFv2 web ACLs include the AWSManagedRulesCommonRuleSet and AWSManagedRulesKnownBadInputsRuleSet groups, and every rule has an action or override action.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Add managedRuleGroupStatement rules for the AWS common and known-bad-inputs rule groups (overrideAction none) and give every other rule an action.",
    requirements: ["EDGE-1", "POL-2"],
    resourceTypes: ["aws:wafv2/webAcl:WebAcl"],
    validate({ props }, judge) {
        const rules = props["rules"];
        if (isUnknown(rules)) {
            judge.cannotJudge("rules");
            return;
        }
        const groups: string[] = [];
        let unknown = false;
        list(rules).forEach((r, i) => {
            if (!isRecord(r)) {
                unknown ||= isUnknown(r);
                return;
            }
            const group = at(r, "statement.managedRuleGroupStatement.name");
            if (isUnknown(group)) {
                unknown = true;
            } else if (typeof group === "string") {
                groups.push(group);
            }
            const action = r["action"];
            const override = r["overrideAction"];
            if (isUnknown(action) || isUnknown(override)) {
                judge.cannotJudge(`rules[${i}] action`);
            } else if (!isRecord(action) && !isRecord(override)) {
                judge.violation(
                    `rules[${i}]${typeof r["name"] === "string" ? ` (${r["name"]})` : ""} has neither an action nor an override action.`,
                );
            }
        });
        const missing = REQUIRED_GROUPS.filter((g) => !groups.includes(g));
        if (missing.length > 0) {
            if (unknown) {
                judge.cannotJudge("rules (managed rule groups)");
            } else {
                judge.violation(`the web ACL lacks the managed rule groups ${missing.join(", ")}.`);
            }
        }
    },
});
