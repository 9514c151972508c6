/**
 * DOC-1: every relative link in README.md and docs/ resolves to a file of the repository (and to a heading
 * when it names an anchor), the runbook index lists every runbook, and every alert's runbook link lands on
 * its section of docs/runbooks/alerts.md (MON-2).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { alertingRules, alertRuleGroups, runbookAnchor } from "../../components/monitoring/rules";
import { REPO_ROOT, anchors, brokenLinks, documentationFiles, isExternal, links, slug, tables } from "./markdown";

describe("documentation links (DOC-1)", () => {
    describe("the repository's documents (DOC-1)", () => {
        const files = documentationFiles();

        it("covers README.md, the runbooks and the maintenance calendar (DOC-1)", () => {
            for (const f of [
                "README.md",
                "docs/requirements.md",
                "docs/runbooks/README.md",
                "docs/runbooks/deploy-and-rollback.md",
                "docs/runbooks/secret-rotation.md",
                "docs/maintenance-calendar.md",
            ]) {
                assert.ok(files.includes(f), `${f} is missing`);
            }
        });

        for (const file of files) {
            it(`${file}: every relative link resolves (DOC-1)`, () => {
                const problems = brokenLinks(REPO_ROOT, file);
                assert.deepEqual(problems, [], `broken links:\n  ${problems.join("\n  ")}`);
            });
        }
    });

    describe("the runbook index (DOC-1)", () => {
        const index = fs.readFileSync(path.join(REPO_ROOT, "docs/runbooks/README.md"), "utf8");
        const linked = new Set(
            links(index)
                .map((l) => l.target.split("#")[0])
                .filter((t) => !isExternal(t)),
        );

        it("links restore, point-in-time recovery, regional failover, secret rotation, alerts, deploy and rollback (DOC-1)", () => {
            for (const f of [
                "restore-from-snapshot.md",
                "point-in-time-recovery.md",
                "regional-failover.md",
                "secret-rotation.md",
                "alerts.md",
                "deploy-and-rollback.md",
            ]) {
                assert.ok(linked.has(f), `docs/runbooks/README.md does not link ${f}`);
            }
        });

        it("lists every runbook in docs/runbooks/ in its table (DOC-1)", () => {
            const table = tables(index).find((t) => t.header.includes("Runbook"));
            assert.ok(table, "the index has a table with a Runbook column");
            const col = table.header.indexOf("Runbook");
            const inTable = new Set(table.rows.flatMap((r) => links(r.cells[col]).map((l) => l.target)));
            const runbooks = fs
                .readdirSync(path.join(REPO_ROOT, "docs/runbooks"))
                .filter((f) => f.endsWith(".md") && f !== "README.md");
            const missing = runbooks.filter((f) => !inTable.has(f));
            assert.deepEqual(missing, [], `runbooks missing from the index table: ${missing.join(", ")}`);
        });
    });

    describe("alert runbook links (MON-2, DOC-1)", () => {
        it("every alert's runbook_url anchor is a heading of docs/runbooks/alerts.md (MON-2, DOC-1)", () => {
            const groups = alertRuleGroups({}, { runbookBaseUrl: "https://example.invalid/bookbuddy-infra/blob/main" });
            const alerts = alertingRules(groups);
            assert.ok(alerts.length > 10, "the alert rules are there");
            const have = anchors(fs.readFileSync(path.join(REPO_ROOT, "docs/runbooks/alerts.md"), "utf8"));
            const missing = alerts.filter((a) => !have.has(runbookAnchor(a.alert))).map((a) => a.alert);
            assert.deepEqual(missing, [], `alerts without a section in docs/runbooks/alerts.md: ${missing.join(", ")}`);
            for (const a of alerts) {
                assert.equal(
                    a.annotations.runbook_url,
                    `https://example.invalid/bookbuddy-infra/blob/main/docs/runbooks/alerts.md#${runbookAnchor(a.alert)}`,
                );
            }
        });
    });

    describe("the link checker itself (DOC-1)", () => {
        let root: string;
        const write = (rel: string, text: string) => {
            fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
            fs.writeFileSync(path.join(root, rel), text);
        };
        beforeEach(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "links-"));
        });
        afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

        it("reports missing files, missing anchors and paths outside the repository; accepts the rest (DOC-1)", () => {
            write("docs/b.md", "# Title\n## The `x` step: one, two\n## Dup\n## Dup\n");
            write("docs/dir/c.txt", "c");
            write(
                "docs/a.md",
                [
                    "[ok](b.md) [ok](b.md#title) [ok](b.md#the-x-step-one-two) [ok](b.md#dup-1) [ok](dir) [ok](dir/c.txt)",
                    "[ok](#local) ![img](dir/c.txt) [web](https://example.com/x.md) [mail](mailto:a@b.c)",
                    "## Local",
                    "[gone](missing.md) [bad anchor](b.md#nope) [out](../../etc/passwd)",
                    "`[code](not-checked.md)`",
                    "```",
                    "[fenced](not-checked-either.md)",
                    "```",
                    "[ref]: dir/none.txt",
                ].join("\n"),
            );
            assert.deepEqual(brokenLinks(root, "docs/a.md"), [
                "docs/a.md:4: missing.md -> docs/missing.md does not exist",
                "docs/a.md:4: b.md#nope -> no heading with the anchor #nope in docs/b.md",
                "docs/a.md:4: ../../etc/passwd points outside the repository",
                "docs/a.md:9: dir/none.txt -> docs/dir/none.txt does not exist",
            ]);
        });

        it("slugs headings the way GitHub does (DOC-1)", () => {
            assert.equal(slug("ApiErrorRateHigh"), "apierrorratehigh");
            assert.equal(slug("Reproducing the checks locally"), "reproducing-the-checks-locally");
            assert.equal(slug("pg-dump.sh: daily logical backup (BKP-2)"), "pg-dumpsh-daily-logical-backup-bkp-2");
            assert.equal(slug("Schedules (MNT-1, MNT-2)"), "schedules-mnt-1-mnt-2");
        });
    });
});
