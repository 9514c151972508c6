/**
 * DOC-1: docs/maintenance-calendar.md lists every recurring task of the operations documents under its
 * cadence, and everything it names as automation (files, exports, alerts, policy rules, CronJobs) exists.
 * The documents are the verbatim copies in tests/docs/fixtures/operations/.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { alertingRules, alertRuleGroups } from "../../components/monitoring/rules";
import { DATABASE_JOB_NAMES } from "../../components/maintenance/timing";
import { maintenanceRules } from "../../policies/maintenance/rules/index";
import { securityRules } from "../../policies/security/rules/index";
import { REPO_ROOT, anchors, proseLines, tables } from "./markdown";

const OPERATIONS_DIR = path.join(__dirname, "fixtures", "operations");
const CALENDAR = path.join(REPO_ROOT, "docs", "maintenance-calendar.md");

type Section = "Daily" | "Weekly" | "Monthly" | "Quarterly" | "Annually" | "Continuous" | "On event";

export interface SeedTask {
    /** The document's number, e.g. "004". */
    code: string;
    section: Section;
    task: string;
    /** Where in the document, for failure messages. */
    where: string;
}

/** The calendar section of a cadence as the documents write it ("Weekly", "5 min", "As released", ...). */
export function sectionOf(cadence: string): Section {
    const c = cadence.trim().toLowerCase();
    for (const [word, section] of [
        ["daily", "Daily"],
        ["weekly", "Weekly"],
        ["monthly", "Monthly"],
        ["quarterly", "Quarterly"],
        ["annually", "Annually"],
    ] as const) {
        if (c.startsWith(word)) return section;
    }
    if (/^[0-9]+\s*min/.test(c)) return "Continuous";
    return "On event";
}

const CADENCE_WORD = /\b(daily|weekly|monthly|quarterly|annually)\b/i;

/**
 * The recurring tasks of one operations document: items of its "Daily/Weekly/Monthly/Quarterly (Activities)"
 * lists, rows of tables with a Frequency or Rotation column, and other list items or bold labels that name a
 * cadence ("Review all docs quarterly", "**Monthly Update Procedure:**").
 */
export function seedTasks(code: string, text: string): SeedTask[] {
    const out: SeedTask[] = [];
    let list: Section | undefined;
    let heading = "";
    for (const { n, text: line } of proseLines(text)) {
        const h = /^#{1,6}\s+(.*?)\s*$/.exec(line);
        if (h) {
            heading = h[1];
            const m = /^(Daily|Weekly|Monthly|Quarterly)( Activities)?$/.exec(h[1]);
            list = m ? sectionOf(m[1]) : undefined;
            continue;
        }
        const item = /^\s*[-*]\s+(?:\[[ xX]\]\s+)?(.+?)\s*$/.exec(line);
        if (item && list) {
            out.push({ code, section: list, task: item[1], where: `${code}:${n} (${heading})` });
            continue;
        }
        const label = /^\*\*(.+?):?\*\*:?\s*$/.exec(line.trim());
        const loose = item?.[1] ?? label?.[1];
        const word = loose && CADENCE_WORD.exec(loose);
        if (loose && word) out.push({ code, section: sectionOf(word[1]), task: loose, where: `${code}:${n} (${heading})` });
    }
    for (const table of tables(text)) {
        const col = table.header.findIndex((c) => c === "Frequency" || c === "Rotation");
        if (col < 0) continue;
        for (const row of table.rows) {
            out.push({
                code,
                section: sectionOf(row.cells[col]),
                task: row.cells[0].replace(/`/g, ""),
                where: `${code}:${row.line} (${table.headings.at(-1)})`,
            });
        }
    }
    return out;
}

interface CalendarRow {
    section: string;
    line: number;
    task: string;
    source: string;
    automated: string;
    byHand: string;
}

function calendarRows(text: string): CalendarRow[] {
    return tables(text)
        .filter((t) => t.header[0] === "Task")
        .flatMap((t) => {
            assert.deepEqual(
                t.header,
                ["Task", "Source", "Automated or enforced by", "By hand"],
                `columns of the table under ${t.headings.join(" > ")}`,
            );
            return t.rows.map((r) => ({
                section: t.headings.at(-1) ?? "",
                line: r.line,
                task: r.cells[0],
                source: r.cells[1],
                automated: r.cells[2],
                byHand: r.cells[3],
            }));
        });
}

/** Whether a calendar row lists a document's task: the same text, optionally followed by a parenthesis. */
function rowMatches(row: CalendarRow, t: SeedTask): boolean {
    return (
        row.section === t.section &&
        (row.task === t.task || row.task.startsWith(`${t.task} (`)) &&
        row.source.split(/[\s,]+/).includes(t.code)
    );
}

/** Names a TypeScript module exports, read from its syntax tree. */
export function exportedNames(fileName: string, text: string): Set<string> {
    const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const names = new Set<string>();
    for (const stmt of source.statements) {
        const exported = ts.canHaveModifiers(stmt) && ts.getModifiers(stmt)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
        if (ts.isExportDeclaration(stmt) && stmt.exportClause && ts.isNamedExports(stmt.exportClause)) {
            for (const e of stmt.exportClause.elements) names.add(e.name.text);
        } else if (exported && ts.isVariableStatement(stmt)) {
            for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
        } else if (
            exported &&
            (ts.isClassDeclaration(stmt) ||
                ts.isFunctionDeclaration(stmt) ||
                ts.isInterfaceDeclaration(stmt) ||
                ts.isTypeAliasDeclaration(stmt) ||
                ts.isEnumDeclaration(stmt)) &&
            stmt.name
        ) {
            names.add(stmt.name.text);
        }
    }
    return names;
}

export interface Known {
    alerts: Set<string>;
    policies: Set<string>;
    cronJobs: Set<string>;
}

/** What is wrong with one backticked reference of the "Automated or enforced by" column, or undefined when it exists. */
export function referenceProblem(ref: string, known: Known, root: string = REPO_ROOT): string | undefined {
    if (ref.includes("/") || /\.[a-z]{2,4}(#.*)?$/.test(ref)) {
        const [file, fragment] = ref.split("#", 2);
        const abs = path.join(root, file);
        if (path.isAbsolute(file) || !abs.startsWith(root + path.sep)) return `\`${ref}\` is not a path inside the repository`;
        if (!fs.existsSync(abs)) return `\`${ref}\`: ${file} does not exist`;
        if (fragment === undefined) return undefined;
        if (file.endsWith(".md"))
            return anchors(fs.readFileSync(abs, "utf8")).has(fragment)
                ? undefined
                : `\`${ref}\`: no section #${fragment} in ${file}`;
        if (/\.tsx?$/.test(file))
            return exportedNames(file, fs.readFileSync(abs, "utf8")).has(fragment)
                ? undefined
                : `\`${ref}\`: ${file} does not export ${fragment}`;
        return `\`${ref}\`: a fragment is only understood on .md and .ts files`;
    }
    if (/^[A-Z][A-Za-z0-9]+$/.test(ref))
        return known.alerts.has(ref) ? undefined : `\`${ref}\` is not an alert of components/monitoring/rules.ts`;
    if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(ref)) {
        return known.policies.has(ref) || known.cronJobs.has(ref)
            ? undefined
            : `\`${ref}\` is neither a policy rule nor a database CronJob`;
    }
    return `\`${ref}\` is not a reference (a path, an alert, a policy rule or a CronJob); write other text without backticks`;
}

function knownNames(): Known {
    const groups = alertRuleGroups({}, { runbookBaseUrl: "https://example.invalid/repo" });
    return {
        alerts: new Set(alertingRules(groups).map((a) => a.alert)),
        policies: new Set([...securityRules, ...maintenanceRules].map((r) => r.name)),
        cronJobs: new Set<string>(DATABASE_JOB_NAMES),
    };
}

describe("maintenance calendar (DOC-1)", () => {
    const documents = fs
        .readdirSync(OPERATIONS_DIR)
        .filter((f) => f.endsWith(".txt"))
        .sort();
    const calendar = fs.readFileSync(CALENDAR, "utf8");
    const rows = calendarRows(calendar);

    it("reads all five operations documents (DOC-1)", () => {
        assert.deepEqual(
            documents.map((f) => f.slice(0, 3)),
            ["000", "001", "002", "003", "004"],
        );
    });

    it("finds the schedules of the documents: the daily to quarterly lists and the frequency tables (DOC-1)", () => {
        const all = documents.flatMap((f) => seedTasks(f.slice(0, 3), fs.readFileSync(path.join(OPERATIONS_DIR, f), "utf8")));
        const count = (code: string, section: Section) => all.filter((t) => t.code === code && t.section === section).length;
        assert.deepEqual(
            [count("000", "Daily"), count("000", "Weekly"), count("000", "Monthly"), count("000", "Quarterly")],
            [5, 5, 5, 5],
        );
        assert.deepEqual([count("002", "Daily"), count("002", "Weekly"), count("002", "Monthly")], [5, 5, 5]);
        const t004 = all.filter((t) => t.code === "004").map((t) => `${t.section}: ${t.task}`);
        for (const expected of [
            "Weekly: VACUUM",
            "Monthly: REINDEX",
            "Weekly: Analyze",
            "Daily: Backup verification",
            "Weekly: Dependency audit",
            "Monthly: Access review",
            "Quarterly: Secret rotation",
            "Annually: Penetration test",
            "Quarterly: Review all docs quarterly",
            "Monthly: Monthly Update Procedure",
            "Quarterly: Database password",
            "Continuous: /health/db",
            "On event: Security patches",
        ]) {
            assert.ok(t004.includes(expected), `004 yields "${expected}"; found ${t004.join("; ")}`);
        }
        assert.equal(all.filter((t) => t.code === "001" || t.code === "003").length, 0, "001 and 003 hold no recurring task");
    });

    for (const file of documents) {
        const code = file.slice(0, 3);
        it(`${code}: every recurring task is in the calendar under its cadence (DOC-1)`, () => {
            const missing = seedTasks(code, fs.readFileSync(path.join(OPERATIONS_DIR, file), "utf8"))
                .filter((t) => !rows.some((r) => rowMatches(r, t)))
                .map((t) => `${t.section}: "${t.task}" from ${t.where}`);
            assert.deepEqual(missing, [], `tasks missing from docs/maintenance-calendar.md:\n  ${missing.join("\n  ")}`);
        });
    }

    it("every row says what automates it and what is done by hand, and cites a known document (DOC-1)", () => {
        assert.ok(rows.length >= 50, `the calendar has ${rows.length} rows`);
        for (const r of rows) {
            assert.ok(r.automated.length > 0 && r.automated !== "—", `line ${r.line}: "Automated or enforced by" is empty`);
            assert.ok(
                r.byHand.length > 0 && r.byHand !== "—",
                `line ${r.line}: "By hand" is empty (write "None" when nothing is)`,
            );
            assert.match(r.source, /^(00[0-4])( §[0-9.]+)?(, 00[0-4]( §[0-9.]+)?)*$/, `line ${r.line}: source "${r.source}"`);
        }
    });

    it("everything the calendar names as automation exists: files, exports, sections, alerts, policy rules, CronJobs (DOC-1)", () => {
        const known = knownNames();
        const problems = rows.flatMap((r) =>
            [...r.automated.matchAll(/`([^`]+)`/g)]
                .map((m) => referenceProblem(m[1], known))
                .filter((p) => p)
                .map((p) => `line ${r.line}: ${p}`),
        );
        assert.deepEqual(problems, [], `stale references in docs/maintenance-calendar.md:\n  ${problems.join("\n  ")}`);
        const named = rows.flatMap((r) => [...r.automated.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
        for (const job of DATABASE_JOB_NAMES) assert.ok(named.includes(job), `the CronJob ${job} is in the calendar`);
        for (const wf of fs
            .readdirSync(path.join(REPO_ROOT, ".github/workflows"))
            .filter((f) => /\.ya?ml$/.test(f) && f !== "pr-comment.yml" && f !== "preview.yml")) {
            assert.ok(named.includes(`.github/workflows/${wf}`), `the scheduled or gating workflow ${wf} is in the calendar`);
        }
    });

    describe("the checks themselves (DOC-1)", () => {
        const known: Known = {
            alerts: new Set(["BackupTooOld"]),
            policies: new Set(["backup-coverage"]),
            cronJobs: new Set(["pg-dump"]),
        };

        it("refuse what does not exist and accept what does (DOC-1)", () => {
            assert.equal(referenceProblem("BackupTooOld", known), undefined);
            assert.equal(referenceProblem("backup-coverage", known), undefined);
            assert.equal(referenceProblem("pg-dump", known), undefined);
            assert.equal(referenceProblem("components/backup/index.ts#BackupPlan", known), undefined);
            assert.equal(referenceProblem("docs/database-jobs.md#schedules-mnt-1-mnt-2", known), undefined);
            assert.match(referenceProblem("BackupTooYoung", known)!, /not an alert/);
            assert.match(referenceProblem("backup-everything", known)!, /neither a policy rule nor a database CronJob/);
            assert.match(referenceProblem("jobs/db/nothing.sh", known)!, /does not exist/);
            assert.match(referenceProblem("components/backup/index.ts#NoSuchThing", known)!, /does not export NoSuchThing/);
            assert.match(referenceProblem("docs/database-jobs.md#nowhere", known)!, /no section #nowhere/);
            assert.match(referenceProblem("../outside.txt", known)!, /not a path inside the repository/);
            assert.match(referenceProblem("npm audit", known)!, /not a reference/);
        });

        it("read exports of every form (DOC-1)", () => {
            const names = exportedNames(
                "x.ts",
                [
                    "export class A {}",
                    "export function b() {}",
                    "export const c = 1, d = 2;",
                    "export interface E {}",
                    "export type F = 1;",
                    "export enum G { x }",
                    "export { h, i as j } from './k';",
                    "const l = 1; export { l };",
                    "class Hidden {}",
                ].join("\n"),
            );
            assert.deepEqual([...names].sort(), ["A", "E", "F", "G", "b", "c", "d", "h", "j", "l"]);
        });

        it("find tasks in lists, tables and cadence-named labels, and report a missing one (DOC-1)", () => {
            const doc = [
                "### Weekly Activities",
                "- Rotate logs",
                "### Notes",
                "- Review all docs quarterly",
                "**Monthly Update Procedure:**",
                "| Task | Frequency |",
                "|---|---|",
                "| `VACUUM` | Weekly |",
                "| Probe | 5 min |",
                "| Patch | As released |",
            ].join("\n");
            const tasks = seedTasks("009", doc)
                .map((t) => `${t.section}: ${t.task}`)
                .sort();
            assert.deepEqual(tasks, [
                "Continuous: Probe",
                "Monthly: Monthly Update Procedure",
                "On event: Patch",
                "Quarterly: Review all docs quarterly",
                "Weekly: Rotate logs",
                "Weekly: VACUUM",
            ]);
            const row: CalendarRow = {
                section: "Weekly",
                line: 1,
                task: "VACUUM (database)",
                source: "009 §2.3",
                automated: "x",
                byHand: "y",
            };
            assert.ok(rowMatches(row, { code: "009", section: "Weekly", task: "VACUUM", where: "" }));
            assert.ok(!rowMatches(row, { code: "009", section: "Monthly", task: "VACUUM", where: "" }), "the cadence must match");
            assert.ok(!rowMatches(row, { code: "008", section: "Weekly", task: "VACUUM", where: "" }), "the source must match");
            assert.ok(
                !rowMatches(row, { code: "009", section: "Weekly", task: "VACUUM FULL", where: "" }),
                "the task text must match",
            );
        });
    });
});
