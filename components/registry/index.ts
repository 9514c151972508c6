import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ContainerRegistryArgs {
    /** Name prefix of the repositories, e.g. `bookbuddy-prod`. */
    namePrefix: string;
    /** Repository names; default `api` and `web` (REG-1). */
    repositories?: string[];
    /** Images kept per repository by the lifecycle policy; default 30 (REG-1). */
    keepImages?: number;
    /** KMS key encrypting the images (REG-1, SEC-3). */
    kmsKeyArn: pulumi.Input<string>;
}

/**
 * ECR repositories for the application images (REG-1): immutable tags (a tag always means the same image,
 * which makes rollback by tag safe: APP-1), scan on push, KMS encryption and a lifecycle policy that keeps
 * the last N images.
 */
export class ContainerRegistry extends pulumi.ComponentResource {
    readonly repositories: Record<string, aws.ecr.Repository> = {};
    readonly repositoryUrls: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: ContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:platform:ContainerRegistry", name, {}, opts);
        const keep = args.keepImages ?? 30;
        for (const repo of args.repositories ?? ["api", "web"]) {
            const repository = new aws.ecr.Repository(
                `${name}-${repo}`,
                {
                    name: `${args.namePrefix}/${repo}`,
                    imageTagMutability: "IMMUTABLE",
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                    forceDelete: false,
                },
                { parent: this },
            );
            new aws.ecr.LifecyclePolicy(
                `${name}-${repo}`,
                {
                    repository: repository.name,
                    policy: JSON.stringify({
                        rules: [
                            {
                                rulePriority: 1,
                                description: `Keep the last ${keep} images`,
                                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
                                action: { type: "expire" },
                            },
                        ],
                    }),
                },
                { parent: this },
            );
            this.repositories[repo] = repository;
            this.repositoryUrls[repo] = repository.repositoryUrl;
        }
        this.registerOutputs({ repositoryUrls: this.repositoryUrls });
    }
}
