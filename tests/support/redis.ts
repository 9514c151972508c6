/**
 * A real, throw-away Redis server for the tests (CACHE-1, SEC-1), shaped like an ElastiCache replication
 * group with in-transit encryption and an AUTH token:
 * - TLS only (`port 0`, `tls-port` on a free 127.0.0.1 port) with a certificate of a CA made for the run;
 * - the AUTH token is the `default` user's password; ElastiCache's AUTH token strategies are modelled with
 *   ACL passwords: ROTATE keeps the newest existing token and adds the new one (at most two), SET leaves
 *   only the new one (`setTokens`);
 * - an `operator` ACL user (a run-time password) that the test uses to change the tokens, standing in for
 *   the ElastiCache control plane.
 * Every password is drawn at run time; the configuration file is mode 0600 in a private temporary folder,
 * so no password appears on a command line. `stop()` ends the server and removes the folder.
 *
 * Needs Debian's `redis-server` (built with TLS) and `openssl` on PATH.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";

export interface TestRedis {
    host: string;
    port: number;
    /** PEM of the CA that signed the server certificate (what a client trusts). */
    caPem: string;
    /** Path of that PEM file. */
    caFile: string;
    /** The tokens the `default` user accepts now, oldest first. */
    tokens(): string[];
    /** Replaces the accepted tokens (through the operator user), as ElastiCache does when a change completes. */
    setTokens(tokens: string[]): Promise<void>;
    stop(): Promise<void>;
}

/** Message when the server cannot be found. */
export const REDIS_MISSING_MESSAGE =
    "redis-server (with TLS) is needed for the Redis AUTH rotation tests; install Debian's `redis-server` package or put it on PATH.";

/** A throw-away password of letters and digits. */
export function throwAwayToken(length = 48): string {
    const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const bytes = randomBytes(length);
    let out = "";
    for (let i = 0; i < length; i++) out += chars[bytes[i]! % chars.length];
    return out;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const port = (srv.address() as net.AddressInfo).port;
            srv.close(() => resolve(port));
        });
    });
}

function onPath(tool: string): boolean {
    return (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, tool)));
}

/** One request/response over a TLS connection as the operator (RESP, replies of one line). */
async function operatorCommand(
    server: { port: number; caPem: string; operatorPassword: string },
    args: string[],
): Promise<string[]> {
    return new Promise((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port: server.port, ca: server.caPem });
        const commands = [["AUTH", "operator", server.operatorPassword], args];
        let buffer = "";
        socket.setTimeout(5000, () => {
            socket.destroy();
            reject(new Error("the test Redis did not answer the operator in time"));
        });
        socket.once("secureConnect", () => {
            for (const c of commands)
                socket.write(`*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`);
        });
        socket.on("data", (chunk) => {
            buffer += chunk.toString("utf8");
            const lines = buffer.split("\r\n").filter(Boolean);
            if (lines.length >= commands.length) {
                socket.end();
                const errors = lines.filter((l) => l.startsWith("-"));
                if (errors.length > 0)
                    reject(new Error(`the test Redis refused an operator command: ${errors[0]!.split(" ")[0]}`));
                else resolve(lines);
            }
        });
        socket.on("error", reject);
    });
}

/** Starts a TLS-only redis-server on a free loopback port whose `default` user accepts `initialToken`. */
export async function startRedis(initialToken: string): Promise<TestRedis> {
    if (!onPath("redis-server") || !onPath("openssl")) throw new Error(REDIS_MISSING_MESSAGE);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-redis-"));
    fs.chmodSync(dir, 0o700);
    const f = (name: string) => path.join(dir, name);
    const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    openssl([
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=bookbuddy-test-ca",
        "-keyout",
        f("ca.key"),
        "-out",
        f("ca.crt"),
    ]);
    openssl([
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        f("server.key"),
        "-out",
        f("server.csr"),
    ]);
    fs.writeFileSync(f("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    openssl([
        "x509",
        "-req",
        "-in",
        f("server.csr"),
        "-CA",
        f("ca.crt"),
        "-CAkey",
        f("ca.key"),
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        f("san.ext"),
        "-out",
        f("server.crt"),
    ]);

    const port = await freePort();
    const operatorPassword = throwAwayToken();
    let tokens = [initialToken];
    const conf = [
        "port 0",
        "bind 127.0.0.1",
        `tls-port ${port}`,
        `tls-cert-file ${f("server.crt")}`,
        `tls-key-file ${f("server.key")}`,
        `tls-ca-cert-file ${f("ca.crt")}`,
        "tls-auth-clients no",
        'save ""',
        "appendonly no",
        `dir ${dir}`,
        "daemonize no",
        "loglevel warning",
        `logfile ${f("redis.log")}`,
        `user default on >${initialToken} ~* &* +@all`,
        `user operator on >${operatorPassword} ~* &* +@all`,
    ].join("\n");
    fs.writeFileSync(f("redis.conf"), conf + "\n", { mode: 0o600 });
    const child: ChildProcess = spawn("redis-server", [f("redis.conf")], { stdio: "ignore" });
    let exited = false;
    child.once("exit", () => (exited = true));
    const caPem = fs.readFileSync(f("ca.crt"), "utf8");
    const server = { port, caPem, operatorPassword };

    const deadline = Date.now() + 10_000;
    for (;;) {
        try {
            await operatorCommand(server, ["PING"]);
            break;
        } catch (error) {
            if (exited || Date.now() > deadline) {
                const log = fs.existsSync(f("redis.log")) ? fs.readFileSync(f("redis.log"), "utf8").slice(-2000) : "";
                child.kill("SIGKILL");
                fs.rmSync(dir, { recursive: true, force: true });
                throw new Error(`the test Redis did not start: ${(error as Error).message}\n${log}`);
            }
            await new Promise((r) => setTimeout(r, 50));
        }
    }
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);

    return {
        host: "127.0.0.1",
        port,
        caPem,
        caFile: f("ca.crt"),
        tokens: () => [...tokens],
        async setTokens(next: string[]) {
            if (next.length === 0 || next.length > 2) throw new Error("ElastiCache accepts one or two AUTH tokens");
            await operatorCommand(server, ["ACL", "SETUSER", "default", "resetpass", ...next.map((t) => `>${t}`)]);
            tokens = [...next];
        },
        async stop() {
            process.removeListener("exit", killOnExit);
            if (!exited) {
                await new Promise<void>((resolve) => {
                    child.once("exit", () => resolve());
                    child.kill("SIGTERM");
                });
            }
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
