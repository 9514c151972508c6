/**
 * extract.ts reads each anchor rule set's own file format from a git checkout at the pinned ref (POL-2, #17): one
 * throw-away repository holds files written in every source's format, tagged with the pinned tags, and each
 * source's IDs, titles and targets come out; a missing ref fails.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { extract } from "../../tools/policy/anchors/extract";
import { ANCHOR_SOURCES } from "../../tools/policy/anchors/sources";

function git(dir: string, ...args: string[]): string {
    return execFileSync(
        "git",
        ["-C", dir, "-c", "user.email=test@example.invalid", "-c", "user.name=test", "-c", "commit.gpgsign=false", ...args],
        { encoding: "utf8" },
    );
}

/** Fixture files in each source's format (each source reads only its own paths). */
const FILES: Record<string, string> = {
    // Checkov: Terraform and CloudFormation variants of one check, an inherited resource list, a graph check, a container check.
    "checkov/terraform/checks/resource/aws/DbEncrypted.py": [
        "class DbEncrypted(BaseResourceValueCheck):",
        "    def __init__(self):",
        '        name = "Data is encrypted"',
        '        id = "CKV_AWS_901"',
        "        supported_resources = ['aws_db_instance']",
        "",
    ].join("\n"),
    "checkov/cloudformation/checks/resource/aws/DbEncrypted.py":
        'name = "Data is encrypted"\nid = "CKV_AWS_901"\nsupported_resources = [\'AWS::RDS::DBInstance\']\n',
    "checkov/terraform/checks/resource/aws/PolicyCheck.py":
        'from checkov.terraform.checks.resource.base_policy import \\\n    BasePolicy\nname = "Policy is tight"\nid = "CKV_AWS_902"\n',
    "checkov/terraform/checks/resource/base_policy.py": "supported_resources = ['aws_iam_role_policy']\n",
    "checkov/terraform/checks/graph_checks/aws/Flow.yaml":
        'metadata:\n  id: "CKV2_AWS_903"\n  name: "Flow logs on"\ndefinition:\n  cond_type: connection\n  resource_types:\n    - aws_vpc\n',
    "checkov/kubernetes/checks/resource/k8s/Priv.py":
        'class Priv(BaseK8sContainerCheck):\n    def __init__(self):\n        name = "No privileged"\n        id = "CKV_K8S_901"\n',
    // cdk-nag
    "src/packs/aws-solutions.ts": [
        "import { S3BucketLoggingEnabled } from '../rules/s3';",
        "",
        "  private checkStorage(node: CfnResource): void {",
        "    this.applyRule({",
        "      ruleSuffixOverride: 'S1',",
        "      info: 'The bucket has no access logs.',",
        "      explanation: 'Logs help.',",
        "      level: NagMessageLevel.ERROR,",
        "      rule: S3BucketLoggingEnabled,",
        "      node: node,",
        "    });",
        "  }",
        "",
    ].join("\n"),
    "src/rules/s3/S3BucketLoggingEnabled.ts": "import { CfnBucket } from 'aws-cdk-lib/aws-s3';\n",
    // AWSGuard: a rule with its header, and a placeholder file without a rule.
    "rules/aws/amazon_s3/s3_versioning.guard": [
        "# Rule Identifier:",
        "#    S3_VERSIONING_X",
        "#",
        "# Description:",
        "#    Checks bucket versioning.",
        "#",
        "# Reports on:",
        "#    AWS::S3::Bucket",
        "#",
        "rule S3_VERSIONING_X when %x !empty {",
        "}",
        "",
    ].join("\n"),
    "rules/aws/amazon_emr/placeholder.guard": "## Config Rule Name : emr-thing\n",
    // Pulumi compliance policies
    "vendor-aws/aws/rds/Instance/disallowPublic.ts": '        name: "aws-rds-instance-x",\n        description: "Checks X.",\n',
    "vendor-aws/aws/rds/Instance/index.ts": "export * from './disallowPublic';\n",
    // kube-linter and Polaris
    "pkg/builtinchecks/yamls/x.yaml": 'name: "no-x"\ndescription: "Indicates X."\nscope:\n  objectKinds:\n    - DeploymentLike\n',
    "pkg/config/checks/hostX.yaml":
        "successMessage: fine\nfailureMessage: Host X should not be set\ncategory: Security\ntarget: PodSpec\n",
};

describe("anchor rule extraction from upstream checkouts (POL-2, #17)", () => {
    let dir = "";
    let empty = "";

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "anchors-"));
        git(dir, "init", "-q");
        for (const [file, text] of Object.entries(FILES)) {
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            fs.writeFileSync(path.join(dir, file), text);
        }
        git(dir, "add", "-A");
        git(dir, "commit", "-qm", "rules");
        // A source pinned to a commit cannot be recreated here; it is read at HEAD through the `ref` argument.
        for (const ref of new Set(ANCHOR_SOURCES.map((s) => s.ref).filter((r) => !/^[0-9a-f]{40}$/.test(r)))) {
            git(dir, "tag", ref);
        }
        empty = fs.mkdtempSync(path.join(os.tmpdir(), "anchors-empty-"));
        git(empty, "init", "-q");
    });

    after(() => [dir, empty].forEach((d) => d && fs.rmSync(d, { recursive: true, force: true })));

    const rows = (source: string, ref?: string) => extract(source, dir, ref).rules.map((r) => [r.id, r.title, r.targets]);

    it("Checkov: Python checks (own or inherited resource types), graph YAML, one row per ID across Terraform and CloudFormation", () => {
        const data = extract("checkov", dir);
        assert.strictEqual(data.ref, "3.3.13");
        assert.strictEqual(data.commit, git(dir, "rev-parse", "HEAD").trim());
        assert.deepStrictEqual(rows("checkov"), [
            ["CKV_AWS_901", "Data is encrypted", ["AWS::RDS::DBInstance", "aws_db_instance"]],
            ["CKV_AWS_902", "Policy is tight", ["aws_iam_role_policy"]],
            ["CKV_K8S_901", "No privileged", ["PodSpec"]],
            ["CKV2_AWS_903", "Flow logs on", ["aws_vpc"]],
        ]);
    });

    it("cdk-nag: applyRule calls with their rule IDs, info titles and the Cfn classes the rule tests", () => {
        assert.deepStrictEqual(
            extract("cdk-nag", dir).rules.map((r) => [r.id, r.title, r.targets, r.path]),
            [
                [
                    "AwsSolutions-S1",
                    "The bucket has no access logs.",
                    ["cdk:aws-s3:CfnBucket"],
                    "src/rules/s3/S3BucketLoggingEnabled.ts",
                ],
            ],
        );
    });

    it("AWSGuard: the header's identifier, description and resource types; placeholder files are skipped", () => {
        const data = extract("aws-guard", dir, "HEAD");
        assert.strictEqual(
            data.ref,
            "HEAD",
            "the data records the ref it was read at, so anchors.spec.ts catches a mismatch with sources.ts",
        );
        assert.deepStrictEqual(rows("aws-guard", "HEAD"), [
            ["S3_VERSIONING_X", "Checks bucket versioning.", ["AWS::S3::Bucket"]],
        ]);
    });

    it("Pulumi: registered policies' names and descriptions, the resource from the folder", () => {
        assert.deepStrictEqual(rows("pulumi-aws"), [["aws-rds-instance-x", "Checks X.", ["aws:rds:Instance"]]]);
    });

    it("kube-linter and Polaris: check YAML files", () => {
        assert.deepStrictEqual(rows("kube-linter"), [["no-x", "Indicates X.", ["DeploymentLike"]]]);
        assert.deepStrictEqual(rows("polaris"), [["hostX", "Host X should not be set", ["PodSpec"]]]);
    });

    it("fails when the checkout lacks the pinned ref, and on an unknown source", () => {
        assert.throws(() => extract("polaris", empty));
        assert.throws(() => extract("trivy", empty), /unknown anchor source "trivy"/);
    });
});
