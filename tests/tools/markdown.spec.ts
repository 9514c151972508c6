/**
 * CI-3: the preview as Markdown for a pull request review, checked by parsing it with a real CommonMark/GFM
 * renderer (markdown-it): the verdict first, tables that parse as tables, the tree collapsed in <details>,
 * nothing from the document able to add markup or mentions, and the GitHub comment limit kept with a huge tree.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import MarkdownIt from "markdown-it";
import { COMMENT_MARKER, main as commentMain, renderComment } from "../../tools/plan/comment";
import { estimateCost } from "../../tools/plan/cost";
import { diffPlans } from "../../tools/plan/diff";
import { code, GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../tools/plan/markdown";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";

const FIXTURES = path.join(__dirname, "fixtures");
const md = new MarkdownIt({ html: true });
type Token = ReturnType<typeof md.parse>[number];

function load(name: string): PlanDocument {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as PlanDocument;
}

function state(doc: PlanDocument, type: string, name: string): PlanResourceState {
    const step = doc.steps.find((s) => s.urn.endsWith(`::${name}`) && s.newState?.type === type);
    assert.ok(step?.newState, `fixture has no ${type} ${name}`);
    return step.newState;
}

/** A judged, priced document compared with its baseline, like the preview command builds it. */
function reviewed(mutate: (doc: PlanDocument) => void): PlanDocument {
    const baseline = load("offline-dev.json");
    baseline.cost = estimateCost(baseline);
    const current = load("offline-dev.json");
    mutate(current);
    current.policyPacks = ["bookbuddy-security", "bookbuddy-maintenance"];
    current.policyViolations = [
        {
            policyPack: "bookbuddy-security",
            policy: "rds-storage-encrypted",
            enforcementLevel: "advisory",
            urn: current.steps[20].urn,
            message: "storage | encryption off",
        },
    ];
    current.cost = estimateCost(current);
    current.diff = diffPlans(baseline, current);
    return current;
}

function headings(tokens: Token[]): string[] {
    const out: string[] = [];
    tokens.forEach((t, i) => {
        if (t.type === "heading_open") out.push(`${t.tag} ${tokens[i + 1].content}`);
    });
    return out;
}

describe("CI-3 preview as Markdown: structure as a CommonMark renderer sees it", () => {
    it("states the deploy-path verdict (DEP-1) in the verdict and fails the status when it is not proven", () => {
        const proven = reviewed((d) => {
            d.deployPath = { ok: true, checks: [{ name: "runner reaches the EKS endpoint on 443", ok: true, detail: "" }] };
        });
        assert.match(
            renderMarkdown(proven, { stack: "dev" }).split("\n").slice(0, 10).join("\n"),
            /\*\*Deploy path \(DEP-1\):\*\* ✅ proven/,
        );
        const broken = reviewed((d) => {
            d.deployPath = {
                ok: false,
                checks: [
                    { name: "deploy role has a cluster-admin access entry", ok: false, detail: "no access entry" },
                    { name: "runner reaches PostgreSQL on 5432", ok: true, detail: "" },
                ],
            };
        });
        const lines = renderMarkdown(broken, { stack: "dev", exitCode: 4 }).split("\n");
        assert.match(lines[0], /^## `dev`: ❌ deploy path not proven$/);
        assert.match(lines.slice(0, 10).join("\n"), /❌ not proven: `deploy role has a cluster-admin access entry`$/m);
        assert.doesNotMatch(lines.slice(0, 10).join("\n"), /runner reaches PostgreSQL/);
    });

    const doc = reviewed((d) => {
        state(d, "aws:ec2/vpc:Vpc", "dev-vpc").inputs.cidrBlock = "10.99.0.0/16";
        (state(d, "aws:ec2/subnet:Subnet", "dev-private-a").inputs.tags as Record<string, string>).tier = "app";
        state(d, "aws:rds/instance:Instance", "dev-postgres").inputs.instanceClass = "db.t4g.small";
    });
    const text = renderMarkdown(doc, { stack: "dev" });
    const tokens = md.parse(text, {});

    it("puts the verdict first: status, policy result per pack, change counts, cost before -> after", () => {
        const lines = text.split("\n");
        assert.match(lines[0], /^## `dev`: ✅ passed$/);
        const head = lines.slice(0, 8).join("\n");
        assert.match(
            head,
            /\*\*Policies:\*\* `bookbuddy-security` ✅ 0 mandatory, 1 advisory · `bookbuddy-maintenance` ✅ 0 mandatory, 0 advisory/,
        );
        assert.match(
            head,
            /\*\*Changes against the baseline:\*\* 0 to create, 2 to update, 1 to replace, 0 to delete, 29 unchanged/,
        );
        assert.match(head, /\*\*Monthly cost:\*\* \$237\.63 → \$\d+\.\d\d \(\+\$\d+\.\d\d\)/);
        // The verdict is paragraphs only: no list items, so "+"/"-" counts cannot turn into bullets.
        const firstH3 = tokens.findIndex((t) => t.type === "heading_open" && t.tag === "h3");
        assert.ok(firstH3 > 0);
        assert.ok(
            !tokens.slice(0, firstH3).some((t) => t.type.startsWith("bullet_list") || t.type === "hr"),
            "verdict mangled into a list or rule",
        );
        const inline = tokens
            .slice(0, firstH3)
            .filter((t) => t.type === "inline")
            .map((t) => t.content)
            .join("\n");
        assert.match(inline, /1 to replace/);
    });

    it("orders the sections: changes (replacements first), policy findings, cost, then the tree", () => {
        assert.deepStrictEqual(headings(tokens), [
            "h2 `dev`: ✅ passed",
            "h3 Changes",
            "h3 Policy findings (1)",
            "h3 Monthly cost: $249.31",
        ]);
        const replaces = text.indexOf("**Replacements (1)**");
        const updates = text.indexOf("**Updates in place (2)**");
        assert.ok(replaces > 0 && replaces < updates, "replacements come before updates");
        assert.match(text, /- `aws:ec2\/vpc:Vpc` `dev-vpc`: replaced because `cidrBlock` changed/);
        assert.match(text, / {2}- `cidrBlock`: `"10\.20\.0\.0\/16"` → `"10\.99\.0\.0\/16"` \*\*forces replacement\*\*/);
        assert.match(text, / {2}- `tags\.tier`: added `"app"`/);
        assert.ok(
            text.indexOf("### Policy findings") < text.indexOf("### Monthly cost") &&
                text.indexOf("### Monthly cost") < text.indexOf("<details><summary>Resource tree"),
        );
    });

    it("renders the findings and the cost as real tables, grouped by component and sorted", () => {
        const tables = tokens.filter((t) => t.type === "table_open").length;
        assert.ok(tables >= 3, `expected the findings, cost and usage tables, found ${tables}`);
        const html = md.render(text);
        assert.match(html, /<th>Level<\/th>\s*<th>Pack<\/th>\s*<th>Policy<\/th>\s*<th>Resource<\/th>\s*<th>Finding<\/th>/);
        // A pipe inside a finding stays inside its cell.
        assert.match(html, /<td><code>storage \| encryption off<\/code><\/td>/);
        assert.match(
            html,
            /<th>Component<\/th>\s*<th>Resource<\/th>\s*<th>What<\/th>\s*<th>Region<\/th>\s*<th style="text-align:right">USD\/month<\/th>/,
        );
        const subtotals = [...text.matchAll(/\| \*\*subtotal\*\* \| \| \| \*\*([\d.]+)\*\* \|/g)].map((m) => Number(m[1]));
        assert.ok(subtotals.length >= 3, text);
        assert.deepStrictEqual(
            subtotals,
            [...subtotals].sort((a, b) => b - a),
            "components sorted by subtotal",
        );
    });

    it("collapses the tree in a <details> element, changed resources expanded and unchanged ones counted", () => {
        const details = tokens.filter((t) => t.type === "html_block" && t.content.includes("<details>"));
        assert.strictEqual(details.length, 2, "usage charges and the tree");
        const tree = tokens.find((t) => t.type === "fence" && t.content.includes("Type"));
        assert.ok(tree);
        assert.match(tree.content, /\+- +│ {2}├─ aws:ec2\/vpc:Vpc +dev-vpc +replace/);
        assert.match(tree.content, /~ +│ {2}├─ aws:ec2\/subnet:Subnet +dev-private-a +update/);
        assert.match(tree.content, /\.\.\. +\d+ unchanged/);
        assert.ok(!/Deployment/.test(tree.content), "an unchanged subtree is counted, not listed");
    });
});

describe("CI-3 preview as Markdown: text from the document cannot add markup", () => {
    it("keeps names, messages and values inside code spans", () => {
        const evil = "@octocat <img src=x onerror=alert(1)> [link](https://example.com) `tick` | pipe";
        const doc = reviewed((d) => {
            (state(d, "aws:ec2/vpc:Vpc", "dev-vpc").inputs.tags as Record<string, string>).environment = evil;
        });
        doc.policyViolations!.push({
            policyPack: "bookbuddy-security",
            policy: evil,
            enforcementLevel: "mandatory",
            urn: "",
            message: evil,
        });
        const html = md.render(renderMarkdown(doc, { stack: "dev" }));
        assert.ok(!/<img/.test(html), "no image element");
        assert.ok(!/<a /.test(html), "no link");
        const outsideCode = html.replace(/<code>[\s\S]*?<\/code>/g, "").replace(/<pre>[\s\S]*?<\/pre>/g, "");
        assert.ok(!outsideCode.includes("@octocat"), "no mention outside code");
        assert.strictEqual(code("a`b"), "``a`b``");
        assert.strictEqual(code("`x"), "`` `x ``");
    });
});

describe("CI-3 preview as Markdown: the GitHub comment limit", () => {
    /** A document with a huge tree: many children under one component. */
    function huge(n: number): PlanDocument {
        const doc = reviewed((d) => {
            state(d, "aws:ec2/vpc:Vpc", "dev-vpc").inputs.cidrBlock = "10.99.0.0/16";
        });
        const parent = doc.steps[1].urn;
        for (let i = 0; i < n; i++) {
            const urn = `urn:pulumi:dev::bookbuddy::bookbuddy:network:Network$aws:ec2/subnet:Subnet::extra-subnet-with-a-long-name-${i}`;
            doc.steps.push({
                op: "create",
                urn,
                newState: {
                    type: "aws:ec2/subnet:Subnet",
                    urn,
                    parent,
                    custom: true,
                    inputs: { cidrBlock: `10.1.${i % 250}.0/24` },
                    dependencies: [],
                    propertyDependencies: {},
                },
            });
        }
        doc.diff = diffPlans(load("offline-dev.json"), doc);
        return doc;
    }

    it("trims the tree, never the verdict, to fit 65,536 characters", () => {
        const doc = huge(3000);
        const text = renderMarkdown(doc, { stack: "dev" });
        assert.ok(text.length <= GITHUB_COMMENT_LIMIT, `${text.length} characters`);
        assert.match(text.split("\n")[0], /^## `dev`/);
        assert.match(text, /\*\*Changes against the baseline:\*\* 3000 to create, 0 to update, 1 to replace/);
        assert.match(text, /Resource tree \(3032 resources, changed ones expanded\) \(trimmed\)/);
        assert.match(text, /\.\.\. \d+ more lines left out to fit a GitHub comment/);
        // Still valid: the trimmed tree stays inside its fence and its details element.
        const tokens = md.parse(text, {});
        assert.ok(tokens.some((t) => t.type === "html_block" && t.content.trim() === "</details>"));
    });

    it("renders the three stacks' comment from their JSON artifacts, within the limit and with its marker", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "comment-"));
        try {
            for (const stack of ["dev", "staging"]) {
                const artifact = path.join(dir, `offline-preview-${stack}`);
                fs.mkdirSync(artifact);
                fs.writeFileSync(path.join(artifact, `${stack}.json`), JSON.stringify(huge(1500)));
                fs.writeFileSync(path.join(artifact, "exit-code"), stack === "dev" ? "0\n" : "3\n");
            }
            fs.mkdirSync(path.join(dir, "offline-preview-prod"));
            fs.writeFileSync(path.join(dir, "offline-preview-prod", "exit-code"), "1\n");
            const body = renderComment(dir);
            assert.ok(body.startsWith(`${COMMENT_MARKER}\n## Offline preview (dev, staging, prod)`));
            assert.ok(body.length <= GITHUB_COMMENT_LIMIT - 2000, `${body.length} characters`);
            assert.deepStrictEqual(
                headings(md.parse(body, {})).filter((h) => h.startsWith("h3 `")),
                ["h3 `dev`: ✅ passed", "h3 `staging`: ✅ passed", "h3 `prod`: failed (exit code 1)"],
            );
            const out: string[] = [];
            const errors: string[] = [];
            assert.strictEqual(
                commentMain(
                    ["--dir", dir, "--limit=5000"],
                    (s) => out.push(s),
                    (s) => errors.push(s),
                ),
                0,
                errors.join(""),
            );
            assert.ok(out.join("").length <= 5000 + 2000, "verdicts kept even when they alone exceed a tiny limit");
            assert.match(out.join(""), /`prod`: failed \(exit code 1\)/);
            assert.strictEqual(
                commentMain(
                    ["--bogus"],
                    () => undefined,
                    (s) => errors.push(s),
                ),
                2,
            );
            assert.match(errors.join(""), /unknown flag --bogus/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
