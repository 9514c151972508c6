/**
 * CI-1: monthly dependency updates. .github/dependabot.yml parses, updates npm and the
 * pinned GitHub Actions monthly, and its groups put every @pulumi package into one pull
 * request and the development tooling into another (checked against package.json).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { loadWorkflows, repoRoot, triggerConfig, workflowNamed } from "./workflow-rules";

interface Group {
  patterns?: string[];
  "exclude-patterns"?: string[];
  "dependency-type"?: "development" | "production";
}
interface Update {
  "package-ecosystem": string;
  directory: string;
  "target-branch"?: string;
  schedule: { interval: string; time?: string; timezone?: string };
  groups?: Record<string, Group>;
  ignore?: { "dependency-name": string; "update-types"?: string[] }[];
  [key: string]: unknown;
}

/** Keys Dependabot accepts in an `updates` entry (a misspelt key fails the whole file). */
const UPDATE_KEYS = new Set([
  "package-ecosystem", "directory", "directories", "schedule", "allow", "assignees", "commit-message", "cooldown", "exclude-paths",
  "groups", "ignore", "insecure-external-code-execution", "labels", "milestone", "open-pull-requests-limit",
  "pull-request-branch-name", "rebase-strategy", "registries", "reviewers", "target-branch", "vendor", "versioning-strategy",
]);

/** Dependabot's wildcard patterns: `*` matches any run of characters. */
function wildcard(pattern: string, name: string): boolean {
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`).test(name);
}

/** The first group (in file order, as Dependabot assigns them) a dependency falls into. */
function groupOf(groups: Record<string, Group>, name: string, type: "development" | "production"): string | undefined {
  return Object.entries(groups).find(([, g]) => {
    if (g["dependency-type"] && g["dependency-type"] !== type) return false;
    if ((g["exclude-patterns"] ?? []).some((p) => wildcard(p, name))) return false;
    return (g.patterns ?? ["*"]).some((p) => wildcard(p, name));
  })?.[0];
}

describe("CI-1 .github/dependabot.yml: monthly grouped dependency updates", function () {
  const text = fs.readFileSync(path.join(repoRoot, ".github", "dependabot.yml"), "utf8");
  const doc = YAML.parseDocument(text, { uniqueKeys: true });
  const config = doc.toJS() as { version: number; updates: Update[] };
  const npm = config.updates.find((u) => u["package-ecosystem"] === "npm")!;
  const actions = config.updates.find((u) => u["package-ecosystem"] === "github-actions")!;
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  it("parses as version 2 with one npm and one github-actions entry and only known keys", function () {
    assert.deepEqual(doc.errors, []);
    assert.equal(config.version, 2);
    assert.deepEqual(config.updates.map((u) => u["package-ecosystem"]).sort(), ["github-actions", "npm"]);
    for (const update of config.updates) {
      assert.deepEqual(Object.keys(update).filter((k) => !UPDATE_KEYS.has(k)), [], `${update["package-ecosystem"]} has unknown keys`);
      assert.equal(update.directory, "/");
    }
  });

  it("updates npm packages and GitHub Actions monthly", function () {
    assert.equal(npm.schedule.interval, "monthly");
    assert.equal(actions.schedule.interval, "monthly");
  });

  it("groups every @pulumi package of package.json into one pull request", function () {
    const groups = npm.groups ?? {};
    assert.ok(groups.pulumi?.patterns?.includes("@pulumi/*"));
    const pulumiPackages = Object.keys(pkg.dependencies).filter((n) => n.startsWith("@pulumi/"));
    assert.ok(pulumiPackages.length >= 4, "the program depends on several @pulumi packages");
    for (const name of pulumiPackages) assert.equal(groupOf(groups, name, "production"), "pulumi", name);
  });

  it("groups the development tooling together and leaves no dependency ungrouped", function () {
    const groups = npm.groups ?? {};
    for (const name of Object.keys(pkg.devDependencies)) assert.equal(groupOf(groups, name, "development"), "dev-tooling", name);
    for (const name of Object.keys(pkg.dependencies).filter((n) => !n.startsWith("@pulumi/"))) {
      assert.notEqual(groupOf(groups, name, "production"), undefined, name);
    }
    assert.equal(groupOf(groups, "@pulumi/aws", "production"), "pulumi");
    assert.equal(groupOf(groups, "left-pad", "development"), "dev-tooling");
  });

  it("ignores only major updates of packages the project pins on purpose, and only packages it has", function () {
    const known = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
    for (const rule of npm.ignore ?? []) {
      assert.ok(known.has(rule["dependency-name"]), `${rule["dependency-name"]} is not a dependency`);
      assert.deepEqual(rule["update-types"], ["version-update:semver-major"]);
    }
  });

  it("updates every pinned action in one grouped pull request", function () {
    assert.deepEqual(actions.groups?.["github-actions"]?.patterns, ["*"]);
  });

  it("targets the branch that deploys to staging, so updates reach staging before prod", function () {
    const deploy = workflowNamed(loadWorkflows(), "deploy.yml");
    const branches = triggerConfig(deploy, "push")?.branches as string[];
    assert.equal(npm["target-branch"], "develop");
    assert.equal(actions["target-branch"], "develop");
    assert.ok(branches.includes("develop"));
  });
});
