/**
 * `npm run release-manifest -- <smoke|load-test> --stack <name> --run <github run id>` prints the Kubernetes
 * objects of a release step as one JSON List for `kubectl apply -f -` (REL-2). The stack's configuration is
 * validated first; bad input ends with one message and exit status 2.
 */
import { parseArgs } from "node:util";
import { parseStackConfig } from "../../infra/config";
import { readProject, readStackConfig } from "../plan/render";
import { loadTestObjects, smokeTestJob } from "./manifests";
import { setVersions } from "./versions";

const USAGE =
    "usage: npm run release-manifest -- <smoke|load-test> --stack <dev|staging|prod> --run <github run id>\n" +
    "       npm run release-manifest -- set-versions --stack <dev|staging|prod> --image-tag <tag> --web-release <release>";

function main(argv: string[]): number {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                stack: { type: "string" },
                run: { type: "string" },
                "image-tag": { type: "string" },
                "web-release": { type: "string" },
                help: { type: "boolean" },
            },
        });
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (parsed.values.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    const [kind, ...extra] = parsed.positionals;
    const { stack, run } = parsed.values;
    if (kind === "set-versions" && extra.length === 0 && stack && parsed.values["image-tag"] && parsed.values["web-release"]) {
        try {
            setVersions(process.cwd(), stack, { imageTag: parsed.values["image-tag"], webRelease: parsed.values["web-release"] });
            return 0;
        } catch (err) {
            process.stderr.write(`${(err as Error).message}\n`);
            return 2;
        }
    }
    if (!["smoke", "load-test"].includes(kind ?? "") || extra.length > 0 || !stack || !run) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
    }
    try {
        const root = process.cwd();
        const { config, secretKeys } = readStackConfig(root, readProject(root), stack);
        const cfg = parseStackConfig(stack, config, new Set(secretKeys));
        const items = kind === "smoke" ? [smokeTestJob(run)] : loadTestObjects(run, cfg);
        process.stdout.write(`${JSON.stringify({ apiVersion: "v1", kind: "List", items }, null, 2)}\n`);
        return 0;
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        return 2;
    }
}

process.exitCode = main(process.argv.slice(2));
