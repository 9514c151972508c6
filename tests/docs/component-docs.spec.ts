/**
 * docs/components/*.md argument tables are generated from the components' Args doc comments (DOC-1) and must be
 * current, like docs/configuration.md: regenerate with `node -r ./tools/ts-loader.cjs tools/component-docs.ts --write`.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { COMPONENT_DOCS, END_MARKER, readArgs, renderDocument, staleDocuments } from "../../tools/component-docs";
import { REPO_ROOT } from "../support/plan";

describe("component argument docs (DOC-1)", () => {
    it("every docs/components document with an argument table is generated, and each is current", () => {
        const withTables = fs
            .readdirSync(path.join(REPO_ROOT, "docs", "components"))
            .filter((f) => f.endsWith(".md"))
            .filter((f) => /^\| Argument/m.test(fs.readFileSync(path.join(REPO_ROOT, "docs", "components", f), "utf8")))
            .map((f) => `docs/components/${f}`);
        assert.deepEqual(withTables.sort(), Object.keys(COMPONENT_DOCS).sort());
        assert.deepEqual(staleDocuments(), [], "stale: run `node -r ./tools/ts-loader.cjs tools/component-docs.ts --write`");
    });

    it("every argument of a documented component has a doc comment (ARCHITECTURE: one line with default and IDs)", () => {
        for (const tables of Object.values(COMPONENT_DOCS)) {
            for (const { source, args } of tables) {
                const fields = readArgs(source, args);
                assert.ok(fields.length > 0, `${args} has fields`);
                for (const f of fields) assert.ok(f.doc.length > 0, `${source} ${args}.${f.name} has no doc comment`);
            }
        }
    });

    it("a hand edit inside a generated table, or a changed doc comment, is seen as stale", () => {
        const doc = "docs/components/postgres.md";
        const text = fs.readFileSync(path.join(REPO_ROOT, doc), "utf8");
        const edited = text.replace(/(\| `multiAz` \| `boolean` \| no \| )[^|]*/, "$1default false ");
        assert.notEqual(edited, text);
        assert.equal(renderDocument(doc, edited), text);
        const source = fs.readFileSync(path.join(REPO_ROOT, "components/postgres/index.ts"), "utf8");
        const changed = readArgs(
            "components/postgres/index.ts",
            "PostgresDatabaseArgs",
            source.replace("Multi-AZ standby", "Single-AZ"),
        );
        assert.match(changed.find((f) => f.name === "multiAz")!.doc, /^Single-AZ/);
        assert.ok(text.includes(END_MARKER));
    });
});
