/**
 * #14 item 4 (MON-3, SEC-2): Alertmanager logs in to SES SMTP with the SMTP credentials' key id, taken from the
 * secret, not a literal. Alertmanager has no `auth_username_file` (amtool rejects it), so External Secrets renders
 * the whole configuration Secret from a template whose only action is the user name. The test renders that
 * template as External Secrets would (text/template: `{{ .key }}` and string literals `{{ "..." }}`; any other
 * action fails the test) with a throw-away key id, and checks the result with amtool.
 */
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { ofType, renderedStack, STACKS } from "../support/plan";
import { describeRun, runTool, tempDir } from "../monitoring/toolchain";

/** Renders the subset of Go text/template the configuration template may use. */
function renderTemplate(text: string, data: Record<string, string>): string {
    let out = "";
    let i = 0;
    while (i < text.length) {
        const open = text.indexOf("{{", i);
        if (open < 0) return out + text.slice(i);
        out += text.slice(i, open);
        let j = open + 2;
        while (text[j] === " ") j++;
        let value: string;
        if (text[j] === '"') {
            let k = j + 1;
            while (k < text.length && text[k] !== '"') k += text[k] === "\\" ? 2 : 1;
            value = JSON.parse(text.slice(j, k + 1));
            j = k + 1;
        } else {
            const m = /^\.([A-Za-z_]\w*)/.exec(text.slice(j));
            if (!m || !(m[1] in data))
                throw new Error(`template action at "${text.slice(open, open + 40)}" is neither a literal nor a known key`);
            value = data[m[1]];
            j += m[0].length;
        }
        while (text[j] === " ") j++;
        if (!text.startsWith("}}", j))
            throw new Error(`template action at "${text.slice(open, open + 40)}" is neither a literal nor a known key`);
        out += value;
        i = j + 2;
    }
    return out;
}

describe("#14 item 4 (MON-3, SEC-2): the SES SMTP user name comes from the secret", function () {
    this.timeout(300_000);

    it("the renderer refuses unknown actions (the check can fail)", () => {
        assert.equal(renderTemplate('a {{ "{{" }} .Alerts {{ "}}" }} {{ .u }}', { u: "x" }), "a {{ .Alerts }} x");
        assert.throws(() => renderTemplate("{{ .Alerts.Firing | len }}", {}), /neither a literal nor a known key/);
    });

    for (const stack of STACKS) {
        it(`${stack}: the configuration Secret is rendered with the key id, and amtool accepts it`, async () => {
            const doc = await renderedStack(stack);
            const release = ofType(doc, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "kube-prometheus-stack")!;
            const am = (release.inputs.values as any).alertmanager;
            assert.equal(am.config, undefined, "no configuration in the Helm values");
            assert.equal(am.alertmanagerSpec.useExistingSecret, true);
            const secret = ofType(doc, "kubernetes:external-secrets.io/v1:ExternalSecret").find(
                (r) => (r.inputs.metadata as any).name === am.alertmanagerSpec.configSecret,
            );
            assert.ok(secret, `no ExternalSecret ${am.alertmanagerSpec.configSecret}`);
            const spec = secret.inputs.spec as any;
            assert.equal(spec.target.name, am.alertmanagerSpec.configSecret);
            const source = spec.data.find((d: any) => d.secretKey === "smtpUsername");
            assert.equal(source?.remoteRef.property, "smtp-username");
            const keyId = `AKIA${randomBytes(8).toString("hex").toUpperCase()}`;
            const rendered = renderTemplate(spec.target.template.data["alertmanager.yaml"], { smtpUsername: keyId });
            const config = YAML.parse(rendered);
            const email = config.receivers.find((r: any) => r.email_configs).email_configs[0];
            assert.equal(email.auth_username, keyId);
            assert.match(
                email.headers.Subject,
                /\{\{ \.Alerts\.Firing \| len \}\}/,
                "Alertmanager's own templates survive literally",
            );
            const work = tempDir("am-smtp-");
            try {
                fs.writeFileSync(path.join(work.dir, "alertmanager.yml"), rendered);
                const result = runTool("amtool", ["check-config", "alertmanager.yml"], work.dir);
                assert.equal(result.status, 0, describeRun("amtool check-config", result));
            } finally {
                work.cleanup();
            }
        });
    }
});
