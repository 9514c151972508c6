import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, parseArgs } from "../../tools/diagram/cli";
import { buildDot, renderDiagram } from "../../tools/diagram/diagram";
import { Resvg } from "@resvg/resvg-js";
import { PlanDocument } from "../../tools/plan/types";
import { renderedStack } from "../support/plan";
import { allElements, parseXml, textOf, XmlElement } from "./xml";

const FIXTURES = path.join(__dirname, "fixtures");

function load(name: string): PlanDocument {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as PlanDocument;
}

const COMPONENTS = ["dev-alarms", "dev-api", "dev-cluster", "dev-network", "dev-postgres", "dev-redis"];

function byClass(root: XmlElement, cls: string): XmlElement[] {
    return allElements(root).filter((e) => e.attrs.class === cls);
}

/** The tooltips Graphviz writes as xlink:title on the links of edges. */
function edgeTooltips(root: XmlElement): string[] {
    return byClass(root, "edge").flatMap((e) =>
        allElements(e)
            .map((x) => x.attrs["xlink:title"])
            .filter((t): t is string => !!t),
    );
}

describe("DOC-1 architecture diagram: SVG from the preview's resource graph", () => {
    let svg: string;
    let root: XmlElement;

    before(async () => {
        svg = await renderDiagram(load("offline-dev.json"));
        root = parseXml(svg);
    });

    it("returns a well-formed SVG document starting at <svg", () => {
        assert.ok(svg.startsWith("<svg"), svg.slice(0, 80));
        assert.strictEqual(root.name, "svg");
        assert.strictEqual(root.attrs.xmlns, "http://www.w3.org/2000/svg");
    });

    it("draws every component as a titled cluster", () => {
        const clusters = byClass(root, "cluster");
        assert.strictEqual(clusters.length, COMPONENTS.length);
        const titles = clusters.map((c) => textOf(c.children.find((x) => x.name === "title")!));
        assert.deepStrictEqual(titles.sort(), COMPONENTS.map((_, i) => `cluster_${i}`).sort());
        const labels = clusters.map((c) =>
            allElements(c)
                .filter((x) => x.name === "text")
                .map(textOf)
                .join(" "),
        );
        for (const name of COMPONENTS) {
            assert.ok(
                labels.some((l) => l.startsWith(name)),
                `no cluster labelled ${name}: ${labels.join(" | ")}`,
            );
        }
        assert.ok(labels.some((l) => l.includes("bookbuddy:data:PostgresDatabase")));
    });

    it("groups resources per type with a count and leaves low-level types out of the summary", () => {
        const texts = byClass(root, "node").map(textOf).join(" | ");
        assert.match(texts, /Subnet ×2/);
        assert.match(texts, /MetricAlarm ×2/);
        assert.match(texts, /Instance\s*dev-postgres/);
        assert.ok(!texts.includes("SecurityGroupRule"), texts);
        assert.ok(!texts.includes("Role"), texts);
        const clusterText = byClass(root, "cluster").map(textOf).join(" | ");
        assert.match(clusterText, /\(\+1 low-level resource\)/);
    });

    it("draws deduplicated edges between components from dependencies and property dependencies", () => {
        const tooltips = edgeTooltips(root);
        assert.deepStrictEqual(tooltips.sort(), [
            "Alarms dev-alarms uses PostgresDatabase dev-postgres (1 reference)",
            "Application dev-api uses Cluster dev-cluster (1 reference)",
            "Application dev-api uses PostgresDatabase dev-postgres (2 references)",
            "Application dev-api uses RedisCache dev-redis (1 reference)",
            "Cluster dev-cluster uses Network dev-network (4 references)",
            "PostgresDatabase dev-postgres uses Cluster dev-cluster (1 reference)",
            "RedisCache dev-redis uses Network dev-network (2 references)",
            "RedisCache dev-redis uses PostgresDatabase dev-postgres (1 reference)",
        ]);
    });

    it("shows every resource type in full detail", () => {
        const dot = buildDot(load("offline-dev.json"), { detail: "full" });
        assert.match(dot, /SecurityGroupRule\\ndev-postgres-from-cluster/);
        assert.match(dot, /Role\\ndev-eks-role/);
        assert.ok(!dot.includes("low-level"));
    });

    it("draws the components overview: one node per top-level component in its layer, arrows only between layers' components", async () => {
        const dot = buildDot(load("offline-dev.json"), { detail: "components" });
        for (const layer of ["edge", "application", "data", "platform", "observability"]) {
            if (layer !== "edge") assert.ok(dot.includes(`subgraph cluster_${layer} {`), layer);
        }
        const nodes = [...dot.matchAll(/^ {4}(c\d+) \[label="([^"]*)"/gm)].map((m) => ({ id: m[1], label: m[2] }));
        const byName = (name: string) => nodes.find((n) => n.label.split("\\n").slice(0, 2).join(" ").split(" ").includes(name))!;
        for (const name of ["postgres", "redis", "cluster", "network", "api", "alarms"]) assert.ok(byName(name), name);
        assert.match(byName("postgres").label, /\(\d+\)/);
        const edges = [...dot.matchAll(/^ {2}(c\d+) -> (c\d+);$/gm)].map((m) => `${m[1]}->${m[2]}`);
        assert.equal(new Set(edges).size, edges.length, "edges are deduplicated");
        assert.ok(edges.includes(`${byName("cluster").id}->${byName("network").id}`));
        assert.ok(!edges.includes(`${byName("network").id}->${byName("cluster").id}`), "arrows point from user to used");
        assert.ok(!edges.some((e) => e.startsWith(`${byName("alarms").id}->`)), "observability is drawn aside, without arrows");
        const overview = await renderDiagram(load("offline-dev.json"), { detail: "components" });
        assert.ok(overview.startsWith("<svg"));
    });

    it("is deterministic and independent of step order", async () => {
        const again = await renderDiagram(load("offline-dev.json"));
        assert.strictEqual(again, svg);
        const shuffled = load("offline-dev.json");
        shuffled.steps.reverse();
        assert.strictEqual(await renderDiagram(shuffled), svg);
    });

    it("nests components and escapes names in labels", async () => {
        const parent = "urn:pulumi:dev::bookbuddy::bookbuddy:platform:Platform::platform";
        const child = 'urn:pulumi:dev::bookbuddy::bookbuddy:platform:Platform$bookbuddy:monitoring:Monitoring::mon "quoted" <x>';
        const res =
            "urn:pulumi:dev::bookbuddy::bookbuddy:platform:Platform$bookbuddy:monitoring:Monitoring$aws:sns/topic:Topic::alerts";
        const mk = (urn: string, type: string, custom: boolean, par?: string) => ({
            op: "create",
            urn,
            newState: { urn, type, custom, parent: par, inputs: {}, dependencies: par ? [par] : [], propertyDependencies: {} },
        });
        const doc: PlanDocument = {
            offline: { stack: "dev", project: "bookbuddy", generatedBy: "test" },
            steps: [
                mk(parent, "bookbuddy:platform:Platform", false),
                mk(child, "bookbuddy:monitoring:Monitoring", false, parent),
                mk(res, "aws:sns/topic:Topic", true, child),
            ],
            changeSummary: { create: 3 },
        };
        const out = parseXml(await renderDiagram(doc, { title: "nested" }));
        const clusters = byClass(out, "cluster");
        assert.strictEqual(clusters.length, 2);
        assert.ok(clusters.map(textOf).some((t) => t.includes('mon "quoted" <x>')));
        // a child component's dependency on its parent is containment, not an edge
        assert.deepStrictEqual(edgeTooltips(out), []);
    });

    it("merges sibling components of one type into one cluster", async () => {
        const urn = (chain: string, name: string) => `urn:pulumi:dev::bookbuddy::${chain}::${name}`;
        const keyType = "bookbuddy:security:EncryptionKey";
        const step = (u: string, type: string, custom: boolean, parent?: string, deps: string[] = []) => ({
            op: "create",
            urn: u,
            newState: { urn: u, type, custom, parent, inputs: {}, dependencies: deps, propertyDependencies: {} },
        });
        const data = urn(keyType, "data");
        const logs = urn(keyType, "logs");
        const dataKey = urn(`${keyType}$aws:kms/key:Key`, "data");
        const logsKey = urn(`${keyType}$aws:kms/key:Key`, "logs");
        const store = urn("bookbuddy:data:Store", "store");
        const bucket = urn("bookbuddy:data:Store$aws:s3/bucket:Bucket", "media");
        const doc: PlanDocument = {
            offline: { stack: "dev", project: "bookbuddy", generatedBy: "test" },
            steps: [
                step(data, keyType, false),
                step(logs, keyType, false),
                step(dataKey, "aws:kms/key:Key", true, data),
                step(logsKey, "aws:kms/key:Key", true, logs),
                step(store, "bookbuddy:data:Store", false),
                step(bucket, "aws:s3/bucket:Bucket", true, store, [dataKey, logsKey]),
            ],
            changeSummary: { create: 6 },
        };
        const out = parseXml(await renderDiagram(doc));
        const clusters = byClass(out, "cluster").map(textOf);
        assert.strictEqual(clusters.length, 2);
        assert.ok(
            clusters.some((t) => t.includes("EncryptionKey ×2") && t.includes("Key ×2")),
            clusters.join(" | "),
        );
        assert.deepStrictEqual(edgeTooltips(out), ["Store store uses EncryptionKey ×2 (2 references)"]);
    });

    it("reads a real engine preview as well", async () => {
        const out = parseXml(await renderDiagram(load("engine-preview-dev.json"), { title: "dev (engine)" }));
        assert.strictEqual(byClass(out, "cluster").length, COMPONENTS.length);
    });
});

describe("DOC-1 architecture diagram: command line", () => {
    let dir: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "diagram-"));
    });

    afterEach(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("derives the input and output paths from the stack name", () => {
        assert.deepStrictEqual(parseArgs(["--stack", "prod"]), {
            stack: "prod",
            input: path.join("out", "prod.json"),
            out: path.join("docs", "architecture-prod.svg"),
            detail: "summary",
        });
        assert.deepStrictEqual(
            parseArgs(["--input=plan.json", "--detail", "full"])?.out,
            path.join("docs", "architecture-plan.svg"),
        );
        assert.deepStrictEqual(parseArgs(["--stack=prod", "--detail=components"])?.detail, "components");
        assert.throws(() => parseArgs(["--stack"]), /--stack needs a value/);
        assert.throws(() => parseArgs(["--stack", "../x"]), /not a stack name/);
        assert.throws(() => parseArgs(["--colour", "red"]), /^CliUsageError: unknown flag --colour \(see --help\)$/);
        assert.throws(() => parseArgs(["--stack", "dev", "extra"]), /unexpected argument "extra"/);
        assert.throws(() => parseArgs([]), /give --stack or --input/);
        assert.throws(() => parseArgs(["--stack", "dev", "--detail", "all"]), /--detail must be components, summary or full/);
    });

    it("writes the SVG for a preview JSON", async () => {
        const out = path.join(dir, "docs", "architecture-dev.svg");
        const logs: string[] = [];
        const code = await main(
            ["--stack", "dev", "--input", path.join(FIXTURES, "offline-dev.json"), "--out", out],
            (m) => logs.push(m),
            (m) => logs.push(m),
        );
        assert.strictEqual(code, 0, logs.join("\n"));
        const svg = fs.readFileSync(out, "utf8");
        assert.strictEqual(parseXml(svg).name, "svg");
        assert.match(logs[0], /^wrote .*architecture-dev\.svg/);
    });

    it("fails with a hint when the preview JSON is missing or not a preview", async () => {
        const errors: string[] = [];
        const missing = await main(
            ["--stack", "dev", "--input", path.join(dir, "none.json")],
            () => undefined,
            (m) => errors.push(m),
        );
        assert.strictEqual(missing, 1);
        assert.match(
            errors[0],
            /preview JSON not found: .*none\.json \(run `npm run plan -- --stack dev --json .*none\.json` first\)/,
        );
        const bogus = path.join(dir, "bogus.json");
        fs.writeFileSync(bogus, JSON.stringify({ hello: "world" }));
        assert.strictEqual(
            await main(
                ["--input", bogus, "--out", path.join(dir, "x.svg")],
                () => undefined,
                (m) => errors.push(m),
            ),
            1,
        );
        assert.match(errors[1], /is not a preview document/);
        assert.strictEqual(
            await main(
                ["--nope"],
                () => undefined,
                (m) => errors.push(m),
            ),
            2,
        );
        assert.deepStrictEqual(errors.slice(2), ["error: unknown flag --nope (see --help)"]);
    });

    it("answers --help with the usage text and exit 0 (DOC-1)", async () => {
        const logs: string[] = [];
        assert.strictEqual(
            await main(
                ["--help"],
                (m) => logs.push(m),
                (m) => logs.push(m),
            ),
            0,
        );
        assert.strictEqual(logs.length, 1);
        assert.match(logs[0], /^usage: npm run diagram -- --stack <name> \[flags\]/);
        for (const flag of [
            "--stack <name>",
            "--input <plan.json>",
            "--out <file.svg>",
            "--detail components|summary|full",
            "--help",
        ]) {
            assert.ok(logs[0].includes(flag), `usage lacks ${flag}`);
        }
    });
});

describe("DOC-1 test support: the XML reader rejects malformed documents", () => {
    it("throws on mismatched tags, unquoted attributes, unknown entities and two roots", () => {
        assert.throws(() => parseXml("<svg><g></svg>"), /does not match/);
        assert.throws(() => parseXml("<svg width=1></svg>"), /unquoted attribute/);
        assert.throws(() => parseXml("<svg>&nbsp;</svg>"), /unknown entity/);
        assert.throws(() => parseXml("<a/><b/>"), /more than one root/);
        assert.throws(() => parseXml("<svg><g>"), /unclosed <g>/);
        assert.strictEqual(textOf(parseXml('<a x="1 &amp; 2">&lt;b&gt;<c>&#65;</c></a>')), "<b>A");
    });
});

describe("DOC-1 the README's layered architecture diagram", function () {
    this.timeout(240_000);
    const COMMITTED = path.join(__dirname, "..", "..", "docs", "architecture-prod.svg");
    /** The README shows the SVG at most this wide (GitHub's content column, in CSS pixels). */
    const README_WIDTH = 880;
    let svg: string;
    let prod: PlanDocument;

    before(async () => {
        prod = await renderedStack("prod");
        svg = await renderDiagram(prod, { detail: "components" });
    });

    it("is regenerated from the prod stack and the committed file is current (npm run diagram -- --stack prod --detail components)", () => {
        assert.strictEqual(
            fs.readFileSync(COMMITTED, "utf8"),
            svg,
            "docs/architecture-prod.svg is stale: regenerate it (README, Architecture)",
        );
    });

    it("lays the components out in layers, shared keys and the alert topic in a legend instead of arrows", () => {
        const dot = buildDot(prod, { detail: "components" });
        assert.ok(dot.includes("rankdir=TB"));
        for (const title of ["Edge", "Application", "Data", "Platform", "Observability (aside)", "Security (aside)"]) {
            assert.ok(svg.includes(`>${title}</text>`), `layer ${title}`);
        }
        assert.ok(svg.includes(">Shared: badges, not arrows</text>"));
        const titles = [...svg.matchAll(/<g id="node\d+" class="node">\s*<title>([^<]+)<\/title>/g)].map((m) => m[1]);
        const edges = [...svg.matchAll(/<g id="edge\d+" class="edge">\s*<title>([^<]+)<\/title>/g)].map((m) =>
            m[1].replace("&#45;&gt;", "->"),
        );
        assert.ok(edges.length > 0 && edges.length < 40, `${edges.length} arrows`);
        // Encryption keys and the alert topic are no nodes, so no arrow can end at them; the legend names them.
        const nodeLabels = [...svg.matchAll(/<g id="node\d+" class="node">([\s\S]*?)<\/g>/g)].map((m) => m[1]);
        assert.ok(!nodeLabels.some((n) => !n.includes("<title>legend</title>") && />(EncryptionKey|AlertTopic)\b/.test(n)));
        assert.ok(titles.includes("legend"));
        const legend = nodeLabels.find((n) => n.includes("<title>legend</title>"))!;
        for (const line of ["keys: KMS keys", "data: Data at rest", "secrets: Secrets Manager", "topic: SNS topics"])
            assert.ok(legend.includes(`>${line}`), `legend lacks ${line}`);
    });

    it("puts every component in a layer (the deploy runner in Platform) and badges each box with the keys and topic it uses", () => {
        const dot = buildDot(prod, { detail: "components" });
        assert.ok(!/cluster_other|label="Other"/.test(dot), "no component is left in an 'Other' group");
        const platform = /subgraph cluster_platform \{([\s\S]*?)\n {2}\}/.exec(dot)![1];
        assert.match(platform, /label="DeployRunner deploy\\n/);
        const labelOf = (type: string) =>
            new RegExp(`\\[label="([^"]*)", tooltip="${type}"\\]`).exec(dot)![1].split("\\n").join(" ");
        assert.match(labelOf("bookbuddy:data:PostgresDatabase"), /keys: data secrets$/);
        assert.match(labelOf("bookbuddy:backup:BackupPlan"), /keys: backup dr topic: alerts$/);
        assert.match(labelOf("bookbuddy:platform:KubernetesCluster"), /keys: data eks logs$/);
        assert.ok(
            !/keys: .*audit-trail/.test(labelOf("bookbuddy:security:AuditTrail")),
            "a component's own nested key is no shared use",
        );
        // Badges name what is used, not every key: no box lists all seven.
        const badges = [...dot.matchAll(/\\nkeys: ([a-z -]+)/g)].map((m) => m[1].split(" ").length);
        assert.ok(badges.length >= 15, `${badges.length} boxes with key badges`);
        assert.ok(Math.max(...badges) <= 3, `a box lists ${Math.max(...badges)} keys`);
    });

    it("renders to PNG with a real renderer: readable at README width, no label outgrows its box", () => {
        const font = { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" };
        const resvg = new Resvg(svg, { fitTo: { mode: "width", value: README_WIDTH }, font });
        const png = resvg.render();
        assert.strictEqual(png.width, README_WIDTH);
        const scale = README_WIDTH / resvg.width;
        const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
        // Graphviz writes points; the browser draws 4/3 px per pt before the README scales the picture down.
        const smallestPx = Math.min(...sizes) * (4 / 3) * scale;
        assert.ok(smallestPx >= 9, `smallest text is ${smallestPx.toFixed(1)} px at ${README_WIDTH} px wide`);
        assert.ok(png.asPng().length > 10_000, "a picture, not a blank");

        // Each node's text, measured as drawn, stays inside the node's own shape.
        const head = svg.slice(0, svg.indexOf('<g id="graph0"'));
        const transform = /<g id="graph0" class="graph" transform="([^"]+)"/.exec(svg)![1];
        const measure = (inner: string) => new Resvg(`${head}<g transform="${transform}">${inner}</g></svg>`, { font }).getBBox();
        const nodes = [...svg.matchAll(/<g id="node\d+" class="node">([\s\S]*?)<\/g>/g)].map((m) => m[1]);
        assert.ok(nodes.length >= 20, `${nodes.length} nodes`);
        const overflowing: string[] = [];
        for (const node of nodes) {
            const shape = /<(polygon|path)[^>]*\/>/.exec(node)![0];
            const texts = [...node.matchAll(/<text[\s\S]*?<\/text>/g)].map((m) => m[0]).join("");
            const box = measure(shape)!;
            const ink = measure(texts)!;
            if (
                ink.x < box.x ||
                ink.x + ink.width > box.x + box.width ||
                ink.y < box.y ||
                ink.y + ink.height > box.y + box.height
            ) {
                overflowing.push(
                    `${/<title>([^<]+)</.exec(node)?.[1]}: text ${ink.width.toFixed(0)}×${ink.height.toFixed(0)} in a ${box.width.toFixed(0)}×${box.height.toFixed(0)} box`,
                );
            }
        }
        assert.deepStrictEqual(overflowing, []);
    });
});
