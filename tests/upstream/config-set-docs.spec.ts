/**
 * #14 item 6 (ENV-6, DOC-1): every `pulumi config set` the README and docs tell users to run works. A nested key
 * (`group.key`, `list[0].key`) needs `--path`, or Pulumi stores a flat key literally named "group.key", which
 * the schema then rejects as unknown; and the key path must exist in the configuration schema.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { configurationDoc } from "../../tools/config-docs";
import { REPO_ROOT } from "../support/plan";

interface Command {
    file: string;
    text: string;
}

function markdownFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
            e.isDirectory() ? markdownFiles(path.join(dir, e.name)) : e.name.endsWith(".md") ? [path.join(dir, e.name)] : [],
        );
}

/** Every documented `pulumi config set` command: in code blocks and in inline code spans (which may wrap lines). */
export function documentedCommands(file: string, text: string): Command[] {
    const out: Command[] = [];
    const rel = path.relative(REPO_ROOT, file);
    for (const block of text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)) {
        for (const line of block[1].split("\n"))
            if (/^\s*pulumi config set\b/.test(line)) out.push({ file: rel, text: line.replace(/\s+#.*$/, "").trim() });
    }
    const prose = text.replace(/```[\s\S]*?```/g, "");
    // A span that only names the command (no arguments) is a mention, not an instruction.
    for (const span of prose.matchAll(/`([^`]*pulumi config set[^`]*)`/g)) {
        const text = span[1].replace(/\s+/g, " ").trim();
        if (!/pulumi config set$/.test(text)) out.push({ file: rel, text });
    }
    return out;
}

function tokens(command: string): string[] {
    return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** Problems of one command: nested key without --path, or a key path the schema does not have. */
export function commandProblems(c: Command, schemaDoc: string): string[] {
    const t = tokens(c.text);
    const args = t.slice(t.indexOf("set") + 1);
    const flags = new Set<string>();
    let key: string | undefined;
    for (let i = 0; i < args.length; i++) {
        if (args[i].startsWith("-")) {
            flags.add(args[i]);
            if (["--stack", "-s", "--config-file"].includes(args[i])) i++;
        } else {
            key = args[i];
            break;
        }
    }
    if (!key) return [`${c.file}: "${c.text}": no key`];
    const [ns, keyPath] = key.includes(":")
        ? [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)]
        : ["bookbuddy", key];
    if (ns !== "bookbuddy") return [];
    const problems: string[] = [];
    if (/[.[]/.test(keyPath) && !flags.has("--path")) problems.push(`${c.file}: "${c.text}": nested key ${keyPath} needs --path`);
    if (!/[<>]/.test(keyPath)) {
        const normal = keyPath.replace(/\[(\d+|N)\]/g, "[]");
        // A structured field documented as one row (e.g. database.restore's union) lists its sub-keys in its type.
        const segments = normal.split(".");
        const viaParent = segments.slice(1).some((_, i) => {
            const row = schemaDoc
                .split("\n")
                .find((l) => l.startsWith(`| \`bookbuddy:${segments.slice(0, i + 1).join(".")}\` |`));
            const type = row?.split(/(?<!\\)\|/)[2] ?? "";
            return row !== undefined && segments.slice(i + 1).every((seg) => new RegExp(`\\b${seg}\\b`).test(type));
        });
        if (!schemaDoc.includes(`\`bookbuddy:${normal}\``) && !viaParent)
            problems.push(`${c.file}: "${c.text}": no configuration key bookbuddy:${normal} in the schema`);
    }
    return problems;
}

describe("#14 item 6: documented `pulumi config set` commands match the schema", () => {
    const schemaDoc = configurationDoc();
    const files = [path.join(REPO_ROOT, "README.md"), ...markdownFiles(path.join(REPO_ROOT, "docs"))].filter(
        (f) => !f.endsWith("configuration.md"),
    );
    const commands = files.flatMap((f) => documentedCommands(f, fs.readFileSync(f, "utf8")));

    it("finds the documented commands", () => {
        assert.ok(commands.length >= 10, `found ${commands.length}`);
        assert.ok(
            commands.some((c) => c.file === "README.md"),
            "the README's instruction is among them",
        );
    });

    it("the check catches a nested key without --path and an unknown key", () => {
        assert.match(
            commandProblems({ file: "x.md", text: "pulumi config set bookbuddy:app.imageTag 1.2.3" }, schemaDoc).join("\n"),
            /needs --path/,
        );
        assert.match(
            commandProblems({ file: "x.md", text: "pulumi config set --path 'bookbuddy:app.imageTagg' 1" }, schemaDoc).join("\n"),
            /no configuration key bookbuddy:app\.imageTagg/,
        );
        assert.deepEqual(
            commandProblems({ file: "x.md", text: "pulumi config set --path 'apiKeys[0].name' maps" }, schemaDoc),
            [],
        );
        assert.deepEqual(commandProblems({ file: "x.md", text: "pulumi config set aws:region us-west-2" }, schemaDoc), []);
        assert.deepEqual(
            commandProblems(
                { file: "x.md", text: "pulumi config set --path 'bookbuddy:database.restore.snapshotIdentifier' x" },
                schemaDoc,
            ),
            [],
        );
        assert.match(
            commandProblems(
                { file: "x.md", text: "pulumi config set --path 'bookbuddy:database.restore.snapshotId' x" },
                schemaDoc,
            ).join("\n"),
            /no configuration key/,
        );
    });

    it("every documented command uses --path for nested keys and names an existing key", () => {
        assert.deepEqual(
            commands.flatMap((c) => commandProblems(c, schemaDoc)),
            [],
        );
    });
});
