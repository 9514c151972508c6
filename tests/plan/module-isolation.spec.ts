/**
 * A render requires the program afresh (its top-level code declares the resources), but spec files share a
 * test worker: once a render is done, every module that was loaded before it must be the same instance again,
 * or a later spec file imports one copy of a class while the code it tests throws another (`instanceof` fails).
 * Seen as "expected a RotationError, got RotationError" when the rotation specs ran after a render (QA-2).
 * The projects here are small: a program in the project directory importing a module of a linked folder, as
 * the specs' temporary projects link the repository's `infra/` and `components/`.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderProgram, renderStack } from "../../tools/plan/render";

const PROGRAM = [
    'import * as aws from "@pulumi/aws";',
    'import { Marker } from "./lib/marker";',
    "new aws.sns.Topic(new Marker().name);",
    "",
].join("\n");

describe("a render leaves the modules it found loaded as they were (CI-2, QA-2)", function () {
    this.timeout(120_000);
    let dir: string;
    let project: string;
    let markerFile: string;

    before(() => {
        dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-isolation-")));
        project = path.join(dir, "project");
        const shared = path.join(dir, "shared");
        fs.mkdirSync(project);
        fs.mkdirSync(shared);
        markerFile = path.join(shared, "marker.ts");
        fs.writeFileSync(markerFile, 'export class Marker {\n    readonly name = "isolation-topic";\n}\n');
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: isolation\nruntime: nodejs\nmain: program.ts\n");
        fs.writeFileSync(path.join(project, "Pulumi.test.yaml"), "config:\n  aws:region: eu-west-1\n");
        fs.writeFileSync(path.join(project, "program.ts"), PROGRAM);
        fs.symlinkSync(shared, path.join(project, "lib"));
        fs.symlinkSync(path.resolve(__dirname, "..", "..", "node_modules"), path.join(project, "node_modules"));
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const topics = (doc: Awaited<ReturnType<typeof renderStack>>) =>
        doc.steps.filter((s) => s.newState?.type === "aws:sns/topic:Topic").map((s) => s.urn.split("::").pop());

    it("renderStack runs the program afresh each time, and the modules loaded before are back after it", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const before = require(markerFile) as object;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const programBefore = require(path.join(project, "program.ts")) as object;
        for (let i = 0; i < 2; i++) {
            const doc = await renderStack({ projectDir: project, stack: "test" });
            assert.deepEqual(topics(doc), ["isolation-topic"], `render ${i + 1} ran the program`);
            assert.equal(require.cache[markerFile]?.exports, before, "the linked folder's module was replaced");
            assert.equal(require.cache[path.join(project, "program.ts")]?.exports, programBefore);
        }
    });

    it("renderProgram with fresh modules: the program gets new instances, the caller keeps its own", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const before = require(markerFile) as object;
        let seen: unknown;
        await renderProgram(
            () => {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                seen = require(markerFile);
                return {};
            },
            { freshModules: (file) => file === markerFile },
        );
        assert.notEqual(seen, before, "the render loaded its own copy");
        assert.equal(require.cache[markerFile]?.exports, before, "and the earlier one is back");
    });
});
