/**
 * SCRAM-SHA-256 password verifiers (RFC 5802 / RFC 7677), the format PostgreSQL stores in
 * pg_authid.rolpassword (SEC-1, SEC-2).
 *
 * The rotation function sends `ALTER ROLE ... PASSWORD '<verifier>'` instead of the plaintext password,
 * as psql's \password does: the server stores the verifier unchanged, and the new password never
 * appears in the statement text, so it cannot leak through server statement logging
 * (log_statement, log_min_duration_statement) or pg_stat_statements.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";

/** PostgreSQL's default iteration count (scram_iterations). */
export const SCRAM_ITERATIONS = 4096;
/** PostgreSQL's salt length in bytes. */
const SALT_BYTES = 16;

/**
 * Builds the verifier PostgreSQL would store for `password`. Only printable ASCII is accepted: for it
 * SASLprep (the normalisation the server applies) is the identity, so the verifier is exact.
 */
export function scramSha256Verifier(
    password: string,
    salt: Buffer = randomBytes(SALT_BYTES),
    iterations = SCRAM_ITERATIONS,
): string {
    if (!/^[\x21-\x7e]+$/.test(password)) {
        throw new Error("SCRAM verifier: the password must be printable ASCII without spaces");
    }
    const salted = pbkdf2Sync(Buffer.from(password, "utf8"), salt, iterations, 32, "sha256");
    const clientKey = createHmac("sha256", salted).update("Client Key").digest();
    const storedKey = createHash("sha256").update(clientKey).digest();
    const serverKey = createHmac("sha256", salted).update("Server Key").digest();
    return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}
