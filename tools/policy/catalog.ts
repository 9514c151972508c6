/**
 * Generates docs/policies.md, the rule catalogue (POL-1, POL-2, POL-3): name, pack, severity, effective
 * level per stack (from policies/config/<stack>.json), requirement IDs and what each rule checks. The last
 * section, "Remaining advisories", is written by hand: the generator keeps it as it is, and
 * tests/policies/stacks.spec.ts checks that it lists exactly the advisories the rendered stacks produce.
 *
 *   node -r ts-node/register/transpile-only tools/policy/catalog.ts --write
 *
 * A test fails when the committed document differs from what this prints.
 */
import * as fs from "fs";
import * as path from "path";
import { STACKS, loadStackConfig, reconcile } from "../../policies/lib/config";
import { toPolicy, type Rule } from "../../policies/lib/rule";
import { securityRules } from "../../policies/security/rules";
import { maintenanceRules } from "../../policies/maintenance/rules";

export const CATALOG_PATH = path.resolve(__dirname, "..", "..", "docs", "policies.md");

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function configText(rule: Rule): string {
    const entries = Object.entries(rule.config ?? {}).map(([k, p]) => `${k}=${JSON.stringify(p.schema.default)}`);
    return entries.length > 0 ? entries.join("; ") : "";
}

interface FormsTable {
    providers: Record<string, string>;
    concerns: { concern: string; rules: string[]; forms: string[]; anchors: string }[];
    notJudged: { form: string; rule: string; reason: string }[];
}

/** The concern → resource forms table of policies/lib/forms.json (POL-4), rendered for readers. */
function formsSection(): string[] {
    const table = JSON.parse(
        fs.readFileSync(path.resolve(__dirname, "..", "..", "policies", "lib", "forms.json"), "utf8"),
    ) as FormsTable;
    const providers = Object.entries(table.providers)
        .map(([p, v]) => `${p} ${v}`)
        .join(", ");
    const short = (token: string) => `\`${token.replace(/^(aws|kubernetes):/, "")}\``;
    return [
        "## Resource forms per concern",
        "",
        `Every form the pinned providers (${providers}) offer for a concern is judged (POL-4); the table is data in`,
        "`policies/lib/forms.json`, and `tests/policies/forms.spec.ts` fails when a rule lacks a compliant and a violating",
        "case in a listed form, when a type token is not in the pinned provider, or when a provider version moves.",
        "",
        "| Concern | Rules | Forms | Anchors |",
        "|---|---|---|---|",
        ...table.concerns.map(
            (c) =>
                `| ${cell(c.concern)} | ${c.rules.map((r) => `\`${r}\``).join(", ")} | ${c.forms.map(short).join(", ")} | ${cell(c.anchors)} |`,
        ),
        "",
        "Forms not judged, with the reason:",
        "",
        ...table.notJudged.map((n) => `- ${short(n.form)} (${n.rule}): ${n.reason}`),
        "",
    ];
}

/** Heading of the hand-written section the generator keeps (POL-3). */
export const ADVISORIES_HEADING = "## Remaining advisories";

const DEFAULT_ADVISORIES = [
    ADVISORIES_HEADING,
    "",
    "Every advisory violation the rendered stacks still produce, with the reason it stays (POL-3). Written by hand;",
    "one row per stack, rule and resource (the Pulumi name, or `(stack)` for a stack-level message).",
    "",
    "| Stack | Rule | Resource | Reason |",
    "|---|---|---|---|",
    "",
].join("\n");

/** The hand-written section of a catalogue text (from its heading to the end), or an empty table. */
export function advisoriesSection(text: string | undefined): string {
    const start = text?.indexOf(`\n${ADVISORIES_HEADING}\n`) ?? -1;
    return text !== undefined && start >= 0 ? text.slice(start + 1) : DEFAULT_ADVISORIES;
}

/** One explained advisory: on which stack, by which rule, on which resource, and why it remains. */
export interface ExplainedAdvisory {
    stack: string;
    rule: string;
    resource: string;
    reason: string;
}

function unquote(text: string): string {
    return text.trim().replace(/^`(.*)`$/, "$1");
}

/** The rows of the "Remaining advisories" table; a row whose cells do not parse throws with its line. */
export function parseAdvisories(text: string): ExplainedAdvisory[] {
    const section = advisoriesSection(text);
    const rows: ExplainedAdvisory[] = [];
    for (const line of section.split("\n")) {
        if (!line.startsWith("|") || /^\|\s*(Stack|-)/.test(line)) {
            continue;
        }
        const cells = line
            .split(/(?<!\\)\|/)
            .slice(1, -1)
            .map((c) => c.replace(/\\\|/g, "|").trim());
        if (cells.length !== 4 || cells.some((c) => c === "")) {
            throw new Error(
                `docs/policies.md, ${ADVISORIES_HEADING}: expected | stack | rule | resource | reason |, got: ${line}`,
            );
        }
        const [stack, rule, resource, reason] = cells;
        rows.push({ stack: unquote(stack), rule: unquote(rule), resource: unquote(resource), reason });
    }
    return rows;
}

function currentCatalog(): string | undefined {
    return fs.existsSync(CATALOG_PATH) ? fs.readFileSync(CATALOG_PATH, "utf8") : undefined;
}

/** The catalogue; `existing` (default: the committed file) supplies the hand-written advisories section. */
export function renderCatalog(existing: string | undefined = currentCatalog()): string {
    const packs: [string, Rule[]][] = [
        ["security", securityRules],
        ["maintenance", maintenanceRules],
    ];
    const levels = new Map<string, Map<string, string>>();
    for (const stack of STACKS) {
        const file = loadStackConfig(stack);
        for (const [pack, rules] of packs) {
            const effective = reconcile(rules.map(toPolicy), file, pack === "security" ? "mandatory" : "advisory");
            for (const [name, entry] of effective) {
                const props = Object.entries(entry.properties).filter(
                    ([k, v]) =>
                        k !== "exemptions" &&
                        JSON.stringify(v) !== JSON.stringify(rules.find((r) => r.name === name)?.config?.[k]?.schema.default),
                );
                const note = props.length > 0 ? ` (${props.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")})` : "";
                const byStack = levels.get(name) ?? new Map<string, string>();
                byStack.set(stack, `${entry.enforcementLevel}${note}`);
                levels.set(name, byStack);
            }
        }
    }
    const lines: string[] = [
        "# Policy packs",
        "",
        "<!-- Generated by tools/policy/catalog.ts from the rule modules and policies/config/*.json; do not edit by hand",
        '     except the last section, "Remaining advisories", which the generator keeps. -->',
        "",
        "Two CrossGuard packs judge every resource of the program (POL-1): `policies/security` and",
        "`policies/maintenance`. Each rule is one file under `policies/<pack>/rules/`, with its severity, default",
        "enforcement level, remediation and the requirement IDs it enforces. Coverage follows AWSGuard, Pulumi's",
        "compliance policies, cdk-nag AwsSolutions (with its HIPAA/NIST rules for CloudWatch, Backup and Secrets",
        "Manager) and Checkov for the services used, plus stack rules no anchor has (POL-2). The anchor matrix,",
        "[docs/policy-anchors.md](policy-anchors.md), lists every rule of Checkov, cdk-nag AwsSolutions, AWSGuard,",
        "Pulumi's compliance policies, kube-linter and Polaris for the services and kinds the program uses, with the rule",
        "of ours that enforces it or why it does not apply (generated from `tools/policy/anchors/`).",
        "",
        "## Running them",
        "",
        "- Real engine: `pulumi preview --stack prod --policy-pack policies/security --policy-pack-config policies/config/prod.json",
        "  --policy-pack policies/maintenance --policy-pack-config policies/config/prod.json`. The packs need no install",
        "  of their own: their package.json has no dependencies, so `@pulumi/policy` and `@pulumi/pulumi` resolve from the",
        "  repository's root node_modules (a second copy would break the analyzer). The CLI pairs each",
        "  `--policy-pack-config` with the `--policy-pack` before it; one file per stack serves both packs.",
        '- Offline: `runPolicyPacks(resources, { packs: ["security", "maintenance"], stack })` in',
        "  `tools/policy/runner.ts` (used by the credential-free preview) builds the arguments the engine builds and",
        "  uses `policies/config/<stack>.json` unless a config is passed.",
        "",
        "## Configuration (POL-3)",
        "",
        "`policies/config/{dev,staging,prod}.json` use the `--policy-pack-config` format: policy name (or `all`) →",
        'level, or `{ "enforcementLevel": ..., <properties> }`. Every rule accepts `exemptions`:',
        '`[{ "resource": "<pulumi name>", "reason": "<why, at least 10 characters>" }]`; an exempted resource is',
        "reported as not applicable with its reason. Prod is the strictest (`all: mandatory`, longer retention);",
        "dev relaxes only rules that guard paid features (Multi-AZ, failover, vault lock, WAF, cross-region copies),",
        "never data or secret protection. Staging keeps the prod-only extras of BKP-1/DR-1 (vault lock, cross-region",
        "copies) advisory or off.",
        "",
        "## Values unknown during a preview",
        "",
        "During `pulumi preview` some inputs are unknown. A rule never passes on an unknown value: it reports what it",
        'could judge and then what it cannot judge. Rules fail closed (POL-4): by default (`unknowns: "violation"`,',
        "always in prod) each value that stays unknown is a violation at the rule's level, unless the resource is",
        'exempted by name with a written reason; a stack may relax a rule to `unknowns: "advisory"` (dev and staging',
        "only), which reports the engine's advisory `can't run policy ... during preview` message instead. Stack rules",
        "join resources by recorded property dependencies first, by equal identifiers second.",
        "",
        "### Known problem: the preview of a first deploy",
        "",
        "Found on 2026-12-02 and not fixed yet. In the engine's preview of a resource being created, its ID and every",
        "output the provider computes are unknown, so a policy document built from the ARN of a resource created in the",
        "same run is unknown as a whole. Rules fail closed on it in every stack, at their enforcement level. Rendered with",
        "every create's ID and computed outputs unknown (the offline preview's own render, with the mocks answering only",
        'the inputs), the packs report 2 mandatory "cannot judge" violations for prod\'s first `pulumi up` in the runner',
        "phase (the flow-log and deploy-runner role policies; docs/runbooks/first-deploy.md) and 45 to 51 for a first",
        "deploy of a whole stack. A `pulumi up` whose preview reports a mandatory violation does not update, so the",
        "runbook's first deploy stops at its preview. The offline preview cannot show this: its mocks answer every output.",
        "What the rules need is to tell a preview's unknowns, which the update resolves and judges again, from values",
        "that stay unknown.",
        "",
        "## Decisions",
        "",
        "- Log groups without retention or with 0 (never expire) violate `log-group-retention`: BKP-4 asks for 90 days",
        "  and unbounded retention keeps personal data and cost without end; longer archives belong in S3.",
        "- Public load-balancer security groups are recognised by the tag `tier=public-lb` (configurable), read from the",
        "  security group itself: a separate rule resource (`aws.ec2.SecurityGroupRule`, `aws.vpc.SecurityGroupIngressRule`)",
        "  is judged by the group its `securityGroupId` resolves to in the stack; a world-open rule on a group the stack",
        "  does not declare fails closed.",
        '- `sg-rule-description` treats the provider default "Managed by Pulumi" as no description.',
        "- A bucket that receives other buckets' access logs need not log into itself (that would loop).",
        "- Deletion protection and final snapshots are mandatory in dev too (they protect data; DB-2 sets the floor).",
        "- Workloads inside Helm releases and operator resources (ECK, Prometheus operator) are not resources of the",
        "  program, so the Kubernetes workload rules judge only the pod-bearing objects it declares (every kind and",
        "  API version, see Resource forms); the releases themselves must pin an exact chart version (`helm-release-pinned`).",
        "- The application load balancer the AWS Load Balancer Controller builds from an Ingress is judged through the",
        "  Ingress annotations that define it: listen-ports, ssl-redirect, ssl-policy and certificate",
        "  (`k8s-ingress-alb-tls`), and wafv2-acl-arn on internet-facing ones (`waf-on-public-entry`).",
        "- CloudFront access logs count in either form: legacy `loggingConfig`, or standard logging v2 through",
        "  CloudWatch Logs delivery (the only form that works with BucketOwnerEnforced log buckets).",
        "",
        ...formsSection(),
        "## Catalogue",
        "",
    ];
    for (const [pack, rules] of packs) {
        lines.push(`### ${pack} (${rules.length} rules)`, "");
        lines.push("| Rule | Kind | Severity | dev | staging | prod | Requirements | Checks | Config (defaults) |");
        lines.push("|---|---|---|---|---|---|---|---|---|");
        for (const rule of [...rules].sort((a, b) => a.name.localeCompare(b.name))) {
            const byStack = levels.get(rule.name);
            lines.push(
                `| \`${rule.name}\` | ${rule.kind} | ${rule.severity} | ${STACKS.map((s) => cell(byStack?.get(s) ?? "")).join(" | ")} | ${rule.requirements.join(", ")} | ${cell(rule.description)} | ${cell(configText(rule))} |`,
            );
        }
        lines.push("");
    }
    lines.push("## Remediation", "");
    for (const [pack, rules] of packs) {
        for (const rule of [...rules].sort((a, b) => a.name.localeCompare(b.name))) {
            lines.push(`- \`${rule.name}\` (${pack}): ${rule.remediation}`);
        }
    }
    lines.push("", "");
    return `${lines.join("\n")}${advisoriesSection(existing)}`;
}

if (require.main === module) {
    const text = renderCatalog();
    if (process.argv.includes("--write")) {
        fs.writeFileSync(CATALOG_PATH, text);
        console.log(`wrote ${CATALOG_PATH}`);
    } else {
        process.stdout.write(text);
    }
}
