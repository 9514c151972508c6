/**
 * Sets the released versions in a stack file (REL-2): `bookbuddy:app.imageTag` and `bookbuddy:web.release`,
 * keeping every other line and comment. The release workflow uses it after a failed release to apply the
 * versions deployed before; the values are validated like the stack configuration's own keys.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { schema } from "../../infra/config/schema";

function checked(key: string, value: string, pattern: RegExp, text: string): string {
    if (!pattern.test(value)) throw new Error(`${key}: got ${JSON.stringify(value)}; expected ${text}`);
    return value;
}

/** Rewrites `Pulumi.<stack>.yaml` in `root` with the given API image tag and web release. */
export function setVersions(root: string, stack: string, versions: { imageTag: string; webRelease: string }): void {
    const tag = schema.app.fields.imageTag as unknown as { pattern?: RegExp; expected: string };
    const web = schema.web.fields.release as unknown as { pattern?: RegExp; expected: string };
    checked("bookbuddy:app.imageTag", versions.imageTag, /^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, tag.expected);
    checked("bookbuddy:web.release", versions.webRelease, /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, web.expected);
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(stack)) throw new Error(`stack "${stack}" is not a stack name`);
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`${path.basename(file)}: no such stack file`);
    const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"));
    doc.setIn(["config", "bookbuddy:app", "imageTag"], versions.imageTag);
    doc.setIn(["config", "bookbuddy:web", "release"], versions.webRelease);
    fs.writeFileSync(file, doc.toString({ flowCollectionPadding: false }));
}
