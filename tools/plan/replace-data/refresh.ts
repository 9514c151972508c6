/**
 * `npm run replace-data -- --provider-source <terraform-provider-aws checkout> [--revision <tag or commit>]`
 *
 * Refreshes tools/plan/replace-data/aws.json (CI-3) from a local checkout of hashicorp/terraform-provider-aws at
 * the version the pinned @pulumi/aws bridges (pulumi/pulumi-aws at the package's tag pins it: the `upstream`
 * submodule commit, see docs/ci.md): for every type in the file, it reads the upstream file the entry names and
 * records the schema attributes marked `ForceNew: true` (SDKv2) or given a `RequiresReplace()`/`RequiresReplaceIf()`
 * plan modifier (plugin framework), converted to the property names @pulumi/aws gives them:
 * - snake_case to camelCase (`subject_alternative_names` -> `subjectAlternativeNames`);
 * - a list block the bridge pluralises (`additional_configuration` -> `additionalConfigurations`) is resolved
 *   against the installed package's `<Type>Args` declaration;
 * - a property the bridge renames (`function_name` -> `name`) is mapped by the entry's `bridgeNames`;
 * - `region`: upstream forces replacement when the per-resource region changes (a provider-wide CustomizeDiff),
 *   so every type whose Args accept `region` gets that rule.
 * A path the installed package does not accept is listed under `notInPackage` (the checkout and the package
 * disagree: refresh at the right tag). Entries whose file is "not read yet" are left as they are (every change of
 * such a type shows as "may replace"). Runs offline; `git clone --depth 1 --branch <tag>` gets the checkout.
 */
import * as fs from "fs";
import * as path from "path";
import { CliUsageError, FlagSpecs, parseFlags, usageText } from "../../cli-args";
import { ReplaceDataFile, ReplaceTypeData } from "../replace-rules";

const FLAGS: FlagSpecs = {
    "provider-source": { type: "string", value: "<dir>", description: "checkout of hashicorp/terraform-provider-aws at the bridged version" },
    revision: { type: "string", value: "<tag>", description: "the tag or commit of that checkout, recorded in the file" },
    data: { type: "string", value: "<file>", description: "the data file to refresh (default: tools/plan/replace-data/aws.json)" },
};

/** snake_case -> camelCase, as the bridge names properties (`subject_alternative_names` -> `subjectAlternativeNames`). */
export function camelCase(name: string): string {
    return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * The replace-forcing attribute paths of one Go source file's schema: a brace-depth walk over `"name": {` blocks
 * (SDKv2 schema maps and framework attribute maps alike) that records the path of every block holding
 * `ForceNew: true` or a `RequiresReplace` plan modifier. Nested blocks give dotted paths (`launch_template.id`).
 */
export function forceNewPaths(goSource: string): string[] {
    const found = new Set<string>();
    const stack: { key?: string; depth: number }[] = [];
    let depth = 0;
    // A map key opening a block: `"name": {`, `names.AttrName: {` (a constant: its snake_case value is derived).
    const keyLine = /^\s*(?:"([a-z0-9_]+)"|names\.Attr([A-Za-z0-9]+)|([a-z][A-Za-z0-9]*Attr|attr[A-Z][A-Za-z0-9]*)):\s*(?:schema\.\w+Attribute|schema\.\w+Block|&?schema\.Schema)?\{/;
    for (const line of goSource.split("\n")) {
        const m = keyLine.exec(line);
        if (m) {
            const key = m[1] ?? (m[2] ? m[2].replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase() : undefined);
            stack.push({ key, depth });
        }
        if (/ForceNew:\s*true/.test(line) || /RequiresReplace(If)?\(/.test(line)) {
            const keys = stack.map((s) => s.key).filter((k): k is string => !!k);
            if (keys.length > 0) found.add(keys.map(camelCase).join("."));
        }
        for (const ch of line.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, "")) {
            if (ch === "{") depth++;
            if (ch === "}") {
                depth--;
                while (stack.length > 0 && stack[stack.length - 1].depth >= depth) stack.pop();
            }
        }
    }
    // A nested path under a replace-forcing parent adds nothing: the parent already forces replacement.
    const all = [...found].sort();
    return all.filter((p) => !all.some((q) => q !== p && p.startsWith(`${q}.`)));
}

/** The body of `export interface <Class>Args { ... }` in the installed @pulumi/aws declaration of `type`, or undefined. */
export function argsDeclaration(type: string, packageDir: string): string | undefined {
    const [, mod, cls] = type.split(":");
    const [dir, file] = mod.split("/");
    const dts = path.join(packageDir, dir, `${file}.d.ts`);
    if (!fs.existsSync(dts)) return undefined;
    return new RegExp(`export interface ${cls}Args \\{([\\s\\S]*?)\\n\\}`).exec(fs.readFileSync(dts, "utf8"))?.[1];
}

/** true when the Args declaration has a top-level input `name`. */
function hasInput(args: string, name: string): boolean {
    return new RegExp(`\\n\\s+${name}\\??:`).test(args);
}

/**
 * Maps upstream paths (already camelCase) to @pulumi/aws input paths: the entry's `bridgeNames` first, then the
 * bridge's pluralised list name when the singular is not an input. Returns the accepted paths and the rest.
 */
export function toPulumiPaths(paths: string[], args: string | undefined, bridgeNames: Record<string, string> = {}): { accepted: string[]; notInPackage: string[] } {
    const accepted = new Set<string>();
    const notInPackage: string[] = [];
    for (const p of paths) {
        const [top, ...rest] = p.split(".");
        let name = bridgeNames[top] ?? top;
        if (args !== undefined && !hasInput(args, name) && hasInput(args, `${name}s`)) name = `${name}s`;
        if (args !== undefined && !hasInput(args, name)) {
            notInPackage.push(p);
            continue;
        }
        accepted.add([name, ...rest].join("."));
    }
    return { accepted: [...accepted].sort(), notInPackage };
}

/** The rule every regional type gets: upstream replaces a resource whose per-resource `region` changes. */
export const REGION_RULE = {
    property: "region",
    note: "provider-wide CustomizeDiff forceNewIfRegionChanges (internal/provider): a changed per-resource region replaces",
};

export function refresh(
    dataFile: string,
    source: string,
    revision: string,
    packageVersion: string,
    today: string,
    packageDir: string = path.dirname(require.resolve("@pulumi/aws/package.json")),
): { updated: string[]; skipped: string[] } {
    const data = JSON.parse(fs.readFileSync(dataFile, "utf8")) as ReplaceDataFile;
    const updated: string[] = [];
    const skipped: string[] = [];
    for (const [type, entry] of Object.entries(data.types)) {
        const file = path.join(source, entry.file);
        if (!fs.existsSync(file)) {
            skipped.push(type);
            continue;
        }
        const args = argsDeclaration(type, packageDir);
        const { accepted, notInPackage } = toPulumiPaths(forceNewPaths(fs.readFileSync(file, "utf8")), args, entry.bridgeNames);
        const rules: ReplaceTypeData["replaceOn"] = accepted.filter((p) => p !== "region");
        // Conditional rules kept by hand (e.g. `when: removed`) survive a refresh: the schema walk cannot see them.
        for (const r of entry.replaceOn) if (typeof r !== "string" && r.property !== "region") rules.push(r);
        if (args !== undefined && hasInput(args, "region")) rules.push({ ...REGION_RULE });
        entry.replaceOn = rules;
        if (notInPackage.length > 0) entry.notInPackage = notInPackage;
        else delete entry.notInPackage;
        entry.revision = revision;
        updated.push(type);
    }
    data.packageVersion = packageVersion;
    data.refreshed = today;
    data.upstream.revision = revision;
    fs.writeFileSync(dataFile, JSON.stringify(data, null, 2) + "\n");
    return { updated, skipped };
}

export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
    try {
        const parsed = parseFlags(argv, FLAGS);
        if (parsed.help) {
            out(usageText("npm run replace-data -- --provider-source <dir> --revision <tag>", "Refreshes the replace-forcing data of @pulumi/aws types (CI-3).", FLAGS) + "\n");
            return 0;
        }
        const v = parsed.values as Record<string, string | undefined>;
        if (!v["provider-source"] || !fs.existsSync(path.join(v["provider-source"], "internal", "service"))) {
            throw new CliUsageError("--provider-source: expected a terraform-provider-aws checkout (with internal/service/)");
        }
        if (!v.revision) throw new CliUsageError("--revision is required: the tag or commit of the checkout");
        const pkg = JSON.parse(fs.readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")) as { version: string };
        const dataFile = v.data ?? path.join(__dirname, "aws.json");
        const { updated, skipped } = refresh(dataFile, v["provider-source"], v.revision, pkg.version, new Date().toISOString().slice(0, 10));
        out(`refreshed ${updated.length} types for @pulumi/aws ${pkg.version} from ${v.revision}; ${skipped.length} without a readable file: ${skipped.join(", ") || "none"}\n`);
        return 0;
    } catch (e) {
        err(`error: ${(e as Error).message}\n`);
        return 2;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
