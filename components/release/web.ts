/**
 * Blue-green releases of the React web build at the edge (REL-1, CDN-1): every build is uploaded once under
 * its own prefix of the web bucket, `releases/<release>/`, and the CloudFront origin path names the live one.
 * A release is a config change of `web.release`, a rollback is setting the previous release again; both end
 * with an invalidation of the distribution (the release workflow runs it), since edge caches still hold the
 * old build's `index.html`.
 */

/** Bucket prefix (without leading or trailing slash) holding one web build (REL-1). */
export const WEB_RELEASES_PREFIX = "releases";

const RELEASE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The CloudFront origin path of a web release, e.g. `/releases/2026.12.01-3f2c1ab` (REL-1). */
export function webReleasePath(release: string): string {
    if (!RELEASE.test(release) || release.includes("..")) {
        throw new Error(`web release "${release}" must be a build name of letters, digits, dot, dash and underscore (REL-1)`);
    }
    return `/${WEB_RELEASES_PREFIX}/${release}`;
}

/** The S3 key prefix a build is uploaded to, e.g. `releases/2026.12.01-3f2c1ab/` (REL-1). */
export function webReleaseKeyPrefix(release: string): string {
    return `${webReleasePath(release).slice(1)}/`;
}
