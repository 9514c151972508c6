/**
 * DOC-1: the traceability table in docs/requirements.md is current, and every requirement ID has an
 * implementation and a test. The extraction rules are proven on small inputs and on a throw-away repository,
 * so the check is shown to fail on a gap, a stale table and a citation that is not documentation.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    BEGIN_MARKER,
    COMMAND,
    END_MARKER,
    REQUIREMENTS_DOC,
    catalogueIds,
    citedIds,
    describeGaps,
    documentationText,
    gaps,
    policyRules,
    renderSection,
    scriptComments,
    testTitles,
    traceability,
    withSection,
    openIds,
    staleOpenMarkers,
} from "../../tools/traceability";

describe("requirements traceability (DOC-1)", function () {
    this.timeout(120000);

    describe("the committed docs/requirements.md (DOC-1)", () => {
        const doc = fs.readFileSync(REQUIREMENTS_DOC, "utf8");
        let traces: ReturnType<typeof traceability>;
        before(() => {
            traces = traceability();
        });

        it("keeps the catalogue: all 55 requirement IDs, each once (DOC-1)", () => {
            const ids = catalogueIds(doc);
            for (const id of [
                "ENV-1",
                "ENV-6",
                "DB-3",
                "CACHE-1",
                "K8S-2",
                "MON-3",
                "HC-1",
                "BKP-4",
                "MNT-2",
                "SEC-6",
                "POL-3",
                "CI-2",
                "DOC-1",
                "QA-1",
                "DEP-1",
                "DEP-2",
                "REL-1",
                "REL-2",
                "CI-3",
                "SEC-7",
                "SEC-8",
                "POL-4",
                "UP-1",
                "QA-2",
            ]) {
                assert.ok(ids.includes(id), `${id} is missing from the catalogue`);
            }
            assert.equal(ids.length, 55, `expected the 55 IDs of the catalogue, found ${ids.length}: ${ids.join(", ")}`);
        });

        it("has exactly one generated section and the command that regenerates it (DOC-1)", () => {
            assert.equal(doc.split(BEGIN_MARKER).length, 2, "one begin marker");
            assert.equal(doc.split(END_MARKER).length, 2, "one end marker");
            assert.ok(doc.indexOf(BEGIN_MARKER) < doc.indexOf(END_MARKER));
            assert.ok(doc.includes(COMMAND.replace(/ --write$/, "")), "the header shows the command line");
        });

        it("the generated table is current (DOC-1)", () => {
            const expected = withSection(doc, renderSection(traces));
            if (expected !== doc) {
                const a = doc.split("\n");
                const b = expected.split("\n");
                const i = a.findIndex((line, n) => line !== b[n]);
                assert.fail(
                    `docs/requirements.md is stale (first difference at line ${i + 1}).\n` +
                        `committed: ${a[i]}\nexpected:  ${b[i]}\nrun: ${COMMAND}`,
                );
            }
        });

        it("every requirement ID has an implementation and a test, unless its row is marked open (DOC-1)", () => {
            const problems = describeGaps(gaps(traces, openIds(doc)));
            assert.deepEqual(problems, [], `requirements without implementation or test:\n  ${problems.join("\n  ")}`);
        });

        it("marks a requirement open only while it lacks an implementation or a test (DOC-1)", () => {
            assert.deepEqual(staleOpenMarkers(traces, openIds(doc)), [], "remove the (open: issue #N) marker of these rows");
        });

        it("reads open markers only at the end of catalogue rows (DOC-1)", () => {
            const sample =
                "| A-1 | built |\n| B-2 | planned (open: issue #17) |\n| C-3 | mentions (open: issue #1) in the middle, then more |";
            assert.deepEqual(openIds(sample), ["B-2"]);
            const trace = (id: string, impl: number, test: number) => ({
                id,
                implementedIn: Array(impl).fill("x"),
                testedBy: Array(test).fill("t"),
            });
            const traces2 = [trace("A-1", 1, 1), trace("B-2", 0, 0)] as unknown as Parameters<typeof gaps>[0];
            assert.deepEqual(gaps(traces2, ["B-2"]), { noImplementation: [], noTest: [] });
            assert.deepEqual(gaps(traces2).noImplementation, ["B-2"]);
            assert.deepEqual(staleOpenMarkers(traces2, ["A-1", "B-2"]), ["A-1"]);
        });

        it("every table row links files that exist and policy rules that exist (DOC-1)", () => {
            const names = new Set(policyRules().flatMap((p) => p.rules.map((r) => r.name)));
            for (const t of traces) {
                for (const f of [...t.implementedIn, ...t.testedBy])
                    assert.ok(fs.existsSync(path.join(REQUIREMENTS_DOC, "..", "..", f)), f);
                for (const r of t.enforcedBy) assert.ok(names.has(r.name), r.name);
                assert.ok(
                    t.testedBy.every((f) => f.startsWith("tests/") && f.endsWith(".spec.ts")),
                    `${t.id}: only spec files prove`,
                );
                assert.ok(
                    t.implementedIn.every(
                        (f) => !f.startsWith("tests/") && !f.startsWith("docs/") && !/^policies\/[^/]+\/rules\//.test(f),
                    ),
                    `${t.id}: implementation excludes tests, docs and rule modules`,
                );
            }
        });
    });

    describe("extraction rules (DOC-1)", () => {
        const ids = ["DB-1", "DB-2", "MON-1", "SEC-1"];

        it("reads IDs only from catalogue rows, not from the generated section, and refuses duplicates (DOC-1)", () => {
            const doc = [
                "# c",
                "| ID | Requirement |",
                "|---|---|",
                "| DB-1 | a |",
                "| SEC-1 | b |",
                "text DB-2",
                BEGIN_MARKER,
                "| MON-1 | x |",
                END_MARKER,
            ].join("\n");
            assert.deepEqual(catalogueIds(doc), ["DB-1", "SEC-1"]);
            assert.throws(() => catalogueIds("| DB-1 | a |\n| DB-1 | b |"), /DB-1 twice/);
            assert.throws(() => catalogueIds("# nothing"), /no requirement table rows/);
        });

        it("matches whole IDs only (DOC-1)", () => {
            assert.deepEqual([...citedIds("(DB-1, SEC-1) MON-1/DB-2", ids)].sort(), ["DB-1", "DB-2", "MON-1", "SEC-1"]);
            assert.deepEqual([...citedIds("DB-10 XDB-1 MON-12 SEC-1.", ids)], ["SEC-1"]);
            assert.deepEqual([...citedIds("K8S-9 is not in the catalogue", ids)], []);
        });

        it("counts comments of TypeScript, but not strings, identifiers or template text (DOC-1)", () => {
            const src = [
                "/** Database (DB-1). */",
                'const s = "DB-2 in a string";',
                "const t = `${s} MON-1 // not a comment`;",
                "const re = /SEC-1/; // trailing (SEC-1)",
                "function f() {",
                "    return 1;",
                "    // last line of a block (MON-1)",
                "}",
            ].join("\n");
            const comments = scriptComments("x.ts", src).join("\n");
            assert.deepEqual([...citedIds(comments, ids)].sort(), ["DB-1", "MON-1", "SEC-1"]);
            assert.ok(!comments.includes("DB-2"));
            assert.ok(!comments.includes("not a comment"));
        });

        it("reads comments of shell, YAML and SQL, all of Markdown and JSON strings; ignores unknown formats (DOC-1)", () => {
            assert.deepEqual([...citedIds(documentationText("a.sh", "echo DB-1 # MON-1\nx=${#y} # SEC-1\n")!, ids)].sort(), [
                "MON-1",
                "SEC-1",
            ]);
            assert.deepEqual([...citedIds(documentationText("a.yml", "name: DB-1\n# DB-2\nurl: a#b\n")!, ids)], ["DB-2"]);
            assert.deepEqual([...citedIds(documentationText("a.sql", "SELECT 'DB-1'; -- DB-2\n/* MON-1 */")!, ids)].sort(), [
                "DB-2",
                "MON-1",
            ]);
            assert.deepEqual([...citedIds(documentationText("a.md", "DB-1")!, ids)], ["DB-1"]);
            assert.deepEqual([...citedIds(documentationText("a.json", '{"reason": "SEC-1", "n": 1}')!, ids)], ["SEC-1"]);
            assert.equal(documentationText("a.png", "DB-1"), undefined);
        });

        it("reads describe/it titles, the literal parts of template titles, and nothing else (DOC-1)", () => {
            const spec = [
                'describe("store (DB-1)", () => {',
                '    it.only(`${name} keeps (MON-1) ${x}`, () => { const note = "DB-2"; });',
                "    context('ctx SEC-1', () => {});",
                "    it(title, () => {});",
                '    helper("DB-2");',
                "});",
            ].join("\n");
            const titles = testTitles("x.spec.ts", spec);
            assert.deepEqual([...citedIds(titles.join("\n"), ids)].sort(), ["DB-1", "MON-1", "SEC-1"]);
        });

        it("replaces only the generated section, appends it when missing, and refuses a lone marker (DOC-1)", () => {
            const doc = `head\n${BEGIN_MARKER}\nold\n${END_MARKER}\ntail\n`;
            assert.equal(
                withSection(doc, `${BEGIN_MARKER}\nnew\n${END_MARKER}`),
                `head\n${BEGIN_MARKER}\nnew\n${END_MARKER}\ntail\n`,
            );
            assert.equal(withSection("head\n", "S"), "head\n\n## Traceability\n\nS\n");
            assert.throws(() => withSection(`head\n${END_MARKER}\n`, "S"), /only one of the traceability markers/);
        });
    });

    describe("on a throw-away repository (DOC-1)", () => {
        let root: string;
        const write = (rel: string, text: string) => {
            fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
            fs.writeFileSync(path.join(root, rel), text);
        };
        const rule = (name: string, requirements: string[]) =>
            ({ name, requirements }) as unknown as ReturnType<typeof policyRules>[number]["rules"][number];

        beforeEach(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "traceability-"));
            write("docs/requirements.md", "| ID | Requirement |\n|---|---|\n| DB-1 | a |\n| SEC-1 | b |\n| MON-1 | c |\n");
            write("components/db.ts", '/** PostgreSQL (DB-1). */\nexport const x = "SEC-1";\n');
            write("jobs/run.sh", "#!/bin/sh\n# backs up (MON-1)\n");
            write("policies/security/rules/r.ts", "/** SEC-1 */\n");
            write("docs/notes.md", "SEC-1\n");
            write("tests/db.spec.ts", 'describe("db (DB-1)", () => {});\n');
            write("tests/helper.ts", 'describe("not a spec (SEC-1)", () => {});\n');
        });
        afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

        it("finds implementations, rules and tests, and reports every gap (DOC-1)", () => {
            const traces = traceability(root, [{ pack: "security", rules: [rule("secret-rotation", ["SEC-1"])] }]);
            assert.deepEqual(traces, [
                { id: "DB-1", implementedIn: ["components/db.ts"], enforcedBy: [], testedBy: ["tests/db.spec.ts"] },
                { id: "SEC-1", implementedIn: [], enforcedBy: [{ pack: "security", name: "secret-rotation" }], testedBy: [] },
                { id: "MON-1", implementedIn: ["jobs/run.sh"], enforcedBy: [], testedBy: [] },
            ]);
            assert.deepEqual(gaps(traces), { noImplementation: ["SEC-1"], noTest: ["SEC-1", "MON-1"] });
            const section = renderSection(traces);
            assert.match(
                section,
                /\| DB-1 \| \[components\/db\.ts\]\(\.\.\/components\/db\.ts\) \| — \| \[tests\/db\.spec\.ts\]\(\.\.\/tests\/db\.spec\.ts\) \| — \| — \| — \|/,
            );
            assert.match(section, /\| SEC-1 \| — \| security: `secret-rotation` \| — \| — \| — \| — \|/);
            assert.match(section, /- no implementation: SEC-1\n- no test: SEC-1, MON-1/);
            assert.equal(describeGaps(gaps(traces)).length, 3);
        });

        it("names the primary implementation, policy and test first: most citations, lower layer, most specific rule (DOC-1)", () => {
            write("infra/wiring.ts", "// DB-1\nexport const x = 1;\n");
            write("tools/mention.ts", "// DB-1 DB-1 DB-1\nexport const y = 1;\n");
            write("tests/more.spec.ts", 'describe("DB-1 one", () => {});\ndescribe("DB-1 two", () => {});\n');
            const traces = traceability(root, [
                { pack: "security", rules: [rule("broad", ["DB-1", "SEC-1", "MON-1"]), rule("narrow", ["DB-1"])] },
            ]);
            const db = traces.find((t) => t.id === "DB-1")!;
            assert.deepEqual(db.implementedIn, ["tools/mention.ts", "components/db.ts", "infra/wiring.ts"]);
            assert.deepEqual(db.testedBy, ["tests/more.spec.ts", "tests/db.spec.ts"]);
            assert.deepEqual(
                db.enforcedBy.map((r) => r.name),
                ["narrow", "broad"],
            );
            assert.match(
                renderSection(traces),
                /\| DB-1 \| \[tools\/mention\.ts\]\(\.\.\/tools\/mention\.ts\) \| security: `narrow` \| \[tests\/more\.spec\.ts\]/,
            );
        });

        it("refuses a policy rule citing an ID the catalogue lacks (DOC-1)", () => {
            assert.throws(
                () => traceability(root, [{ pack: "maintenance", rules: [rule("x", ["BKP-9"])] }]),
                /policy rule x \(maintenance\) cites BKP-9/,
            );
        });

        it("a written table is current until a citation changes (DOC-1)", () => {
            const docPath = path.join(root, "docs/requirements.md");
            const rules = [{ pack: "security" as const, rules: [rule("secret-rotation", ["SEC-1"])] }];
            fs.writeFileSync(docPath, withSection(fs.readFileSync(docPath, "utf8"), renderSection(traceability(root, rules))));
            const current = () =>
                withSection(fs.readFileSync(docPath, "utf8"), renderSection(traceability(root, rules))) ===
                fs.readFileSync(docPath, "utf8");
            assert.ok(current());
            write("tests/more.spec.ts", 'it("alarms (MON-1)", () => {});\n');
            assert.ok(!current(), "a new test citing MON-1 makes the committed table stale");
        });
    });
});
