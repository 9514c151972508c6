/**
 * The release CLI's commands (REL-2) with what they load: the stack configuration (and with it @pulumi/pulumi) for
 * the Jobs, the configuration schema for set-versions. tools/release/main.ts loads this module only when needed.
 */
import { parseStackConfig } from "../../infra/config";
import { readProject, readStackConfig } from "../plan/render";
import { loadTestObjects, smokeTestJob } from "./manifests";

export { setVersions } from "./versions";

/** The objects of one release step as one List for `kubectl apply -f -`, the stack's configuration validated first. */
export function releaseList(root: string, kind: "smoke" | "load-test", stack: string, run: string): Record<string, unknown> {
    const { config, secretKeys } = readStackConfig(root, readProject(root), stack);
    const cfg = parseStackConfig(stack, config, new Set(secretKeys));
    const items = kind === "smoke" ? [smokeTestJob(run)] : loadTestObjects(run, cfg);
    return { apiVersion: "v1", kind: "List", items };
}
