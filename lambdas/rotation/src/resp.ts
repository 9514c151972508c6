/**
 * A minimal Redis protocol (RESP2) exchange for the redis-auth kind (SEC-1, CACHE-1): connect to the
 * replication group's primary endpoint (TLS, as the group requires in-transit encryption), send
 * `AUTH <token>` and `PING`, and report whether the server accepted the token. It needs no library: the
 * function bundles nothing but `pg`, and these two commands are all a rotation step sends.
 *
 * The token is never part of an error message; the server's reply to AUTH is reduced to its error code.
 */
import * as net from "node:net";
import * as tls from "node:tls";
import { StepFailure } from "./errors";

/** Where and how to reach the cache. */
export interface RedisEndpoint {
    host: string;
    port: number;
    /** TLS with the server certificate checked against the system's trusted roots (ElastiCache's are public CAs). */
    tls: boolean;
    /** Connect and reply timeout in milliseconds. */
    timeoutMs: number;
    /** PEM certificates trusted instead of the default roots (a test CA); default the runtime's roots. */
    ca?: string;
}

/** What the server said to `AUTH <token>`. */
export type AuthOutcome = "accepted" | "rejected";

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
    const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
    for (const a of args) {
        const bytes = Buffer.from(a, "utf8");
        parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
    }
    return Buffer.concat(parts);
}

/** One reply line of a simple string (`+`), error (`-`) or integer (`:`); bulk and array replies are not expected. */
export interface Reply {
    type: "+" | "-" | ":";
    text: string;
}

/** Reads complete reply lines from a buffer; returns the replies and the unread rest. */
export function parseReplies(buffer: Buffer): { replies: Reply[]; rest: Buffer } {
    const replies: Reply[] = [];
    let offset = 0;
    for (;;) {
        const end = buffer.indexOf("\r\n", offset);
        if (end < 0) break;
        const type = String.fromCharCode(buffer[offset]!);
        if (type !== "+" && type !== "-" && type !== ":") {
            throw new StepFailure(`the cache answered with an unexpected reply type "${type}"`);
        }
        replies.push({ type, text: buffer.subarray(offset + 1, end).toString("utf8") });
        offset = end + 2;
    }
    return { replies, rest: buffer.subarray(offset) };
}

/**
 * Sends AUTH with `token` and, when accepted, PING. Resolves "accepted" (AUTH +OK and PING +PONG) or
 * "rejected" (WRONGPASS, or ERR for a server that has no such password); network failures and anything
 * else are StepFailures.
 */
export async function tryAuth(endpoint: RedisEndpoint, token: string): Promise<AuthOutcome> {
    return new Promise<AuthOutcome>((resolve, reject) => {
        let settled = false;
        let buffer: Buffer = Buffer.alloc(0);
        const replies: Reply[] = [];
        const where = `${endpoint.host}:${endpoint.port}`;
        const socket: net.Socket = endpoint.tls
            ? tls.connect({
                  host: endpoint.host,
                  port: endpoint.port,
                  ...(net.isIP(endpoint.host) ? {} : { servername: endpoint.host }),
                  rejectUnauthorized: true,
                  ...(endpoint.ca ? { ca: endpoint.ca } : {}),
              })
            : net.connect({ host: endpoint.host, port: endpoint.port });
        const finish = (error: Error | undefined, outcome?: AuthOutcome) => {
            if (settled) return;
            settled = true;
            socket.destroy();
            if (error) reject(error);
            else resolve(outcome!);
        };
        socket.setTimeout(endpoint.timeoutMs, () =>
            finish(new StepFailure(`no answer from the cache at ${where} within ${endpoint.timeoutMs} ms`)),
        );
        socket.on("error", (error: NodeJS.ErrnoException) =>
            finish(new StepFailure(`cannot reach the cache at ${where}: ${error.code ?? error.name}`, error.name, error.code)),
        );
        socket.on("close", () => finish(new StepFailure(`the cache at ${where} closed the connection`)));
        socket.once(endpoint.tls ? "secureConnect" : "connect", () => socket.write(encodeCommand(["AUTH", token])));
        socket.on("data", (chunk: Buffer) => {
            try {
                const parsed = parseReplies(Buffer.concat([buffer, chunk]));
                buffer = parsed.rest;
                replies.push(...parsed.replies);
            } catch (error) {
                finish(error as Error);
                return;
            }
            const [auth, ping] = replies;
            if (!auth) return;
            if (auth.type === "-") {
                const code = auth.text.split(" ")[0] ?? "";
                // WRONGPASS (ACL, Redis 6+) or "ERR invalid password" (requirepass) both mean: not this token.
                if (code === "WRONGPASS" || /invalid (username-)?password/i.test(auth.text)) finish(undefined, "rejected");
                else finish(new StepFailure(`the cache at ${where} answered AUTH with ${code || "an error"}`));
                return;
            }
            if (auth.type !== "+" || auth.text !== "OK") {
                finish(new StepFailure(`the cache at ${where} answered AUTH unexpectedly`));
                return;
            }
            if (replies.length === 1) {
                socket.write(encodeCommand(["PING"]));
                return;
            }
            if (ping && ping.type === "+" && ping.text === "PONG") finish(undefined, "accepted");
            else finish(new StepFailure(`the cache at ${where} did not answer PING after AUTH`));
        });
    });
}
