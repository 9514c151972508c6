/**
 * `npm run release-manifest -- <smoke|load-test> --stack <name> --run <github run id>` prints the Kubernetes
 * objects of a release step as one JSON List for `kubectl apply -f -` (REL-2); `set-versions` rewrites the
 * released versions of a stack file. The stack's configuration is validated first; bad input ends with one
 * message and exit status 2. The logic is main() in ./main, which the tests call in-process (QA-2).
 */
import { main } from "./main";

process.exitCode = main(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
});
