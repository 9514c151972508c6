/**
 * Names shared by the account bootstrap (bootstrap/) and the stacks (DEP-1): the state bucket, the KMS key
 * alias of each stack's secrets provider, the GitHub OIDC provider and the label a workflow job uses to run
 * on a stack's CodeBuild-hosted runner. One definition, so the two programs and the workflows cannot drift.
 */

/** Issuer host of GitHub Actions OIDC tokens; also the IAM OIDC provider's name. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** Audience the AWS credentials action requests. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** S3 bucket of the Pulumi state (`pulumi login s3://<bucket>`): one per account. */
export function stateBucketName(service: string, accountId: string): string {
    return `${service}-pulumi-state-${accountId}`;
}

/** KMS alias of a stack's secrets provider (`secretsprovider: awskms://alias/<...>?region=<region>`). */
/** Alias of the KMS key that encrypts the state bucket (created by bootstrap/; DEP-1). */
export function stateKeyAlias(service: string): string {
    return `alias/${service}-pulumi-state`;
}

export function secretsKeyAlias(service: string, stack: string): string {
    return `alias/${service}-pulumi-${stack}`;
}

/** The `secretsprovider:` value of `Pulumi.<stack>.yaml`. */
export function secretsProviderUrl(service: string, stack: string, region: string): string {
    return `awskms://${secretsKeyAlias(service, stack)}?region=${region}`;
}

/** CodeBuild project of a stack's deploy runner. */
export function runnerProjectName(prefix: string): string {
    return `${prefix}-deploy-runner`;
}

/**
 * The `runs-on` label of a job on a CodeBuild-hosted runner: `codebuild-<project>-<run id>-<attempt>`
 * (the run id and attempt make each job's label unique, so one job gets one build).
 */
export function runnerLabel(prefix: string, runId = "${{ github.run_id }}", attempt = "${{ github.run_attempt }}"): string {
    return `codebuild-${runnerProjectName(prefix)}-${runId}-${attempt}`;
}

/** Names of the workflows whose jobs the runner accepts (the webhook filters on them). */
export const RUNNER_WORKFLOWS = ["Deploy", "Drift detection", "Pulumi preview", "Release"] as const;
