/**
 * Generates docs/configuration.md from the one configuration schema (ENV-6), so the documented keys,
 * defaults, limits and requirement IDs can never drift from what the program accepts.
 * `node -r ts-node/register/transpile-only tools/config-docs.ts --write` rewrites the file.
 */
import * as fs from "fs";
import * as path from "path";
import { schema } from "../infra/config/schema";
import { Field } from "../infra/config/spec";

export const CONFIG_DOC = path.resolve(__dirname, "..", "docs", "configuration.md");

function fmtDefault(f: Field<unknown>): string {
    if (f.kind === "secret") return "secret, no default";
    if (f.required) return "**required**";
    if (f.kind === "object") return "(see keys)";
    return `\`${JSON.stringify(f.defaultValue)}\``;
}

function rows(key: string, f: Field<unknown>, out: string[], isItem = false): void {
    const esc = (s: string) => s.replace(/\|/g, "\\|");
    out.push(`| \`${key}\` | ${esc(f.expected)} | ${isItem ? "—" : esc(fmtDefault(f))} | ${esc(f.doc)} | ${f.ids.join(", ")} |`);
    const fields = (f as unknown as { fields?: Record<string, Field<unknown>> }).fields;
    if (fields) for (const [k, sub] of Object.entries(fields)) rows(`${key}.${k}`, sub, out);
    const item = (f as unknown as { item?: Field<unknown> }).item;
    if (item) rows(`${key}[]`, item, out, true);
}

export function configurationDoc(): string {
    const out = [
        "# Stack configuration",
        "",
        "Generated from `infra/config/schema.ts` by `tools/config-docs.ts`; do not edit by hand (a test checks it is current).",
        "",
        "Keys live in the `bookbuddy:` namespace (plus `aws:region`). `Pulumi.<stack>.yaml` sets only what differs from",
        "these defaults (ENV-1). Unknown keys, wrong types, out-of-range values and missing required keys stop the run",
        "before any resource is declared, with one message naming the stack file, the key, the value given and what was",
        "expected (ENV-6). Nested keys are written as YAML maps, e.g. `bookbuddy:network: { azCount: 3 }`.",
        "",
        "| Key | Accepts | Default | Meaning | Requirements |",
        "|---|---|---|---|---|",
        '| `aws:region` | an AWS region name such as "eu-west-1" | **required** | Region of the stack. | ENV-1 |',
    ];
    for (const [key, f] of Object.entries(schema)) rows(`bookbuddy:${key}`, f as Field<unknown>, out);
    return out.join("\n") + "\n";
}

if (require.main === module) {
    if (process.argv.includes("--write")) fs.writeFileSync(CONFIG_DOC, configurationDoc());
    else process.stdout.write(configurationDoc());
}
