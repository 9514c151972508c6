// Mocha root hooks of `npm run bench -- --suite` (QA-2): for every spec file, the CPU time its parallel worker
// spent on it and the CPU time of the programs the worker waited for meanwhile (Linux: /proc/self/stat), written
// as one JSON line to the file BOOKBUDDY_SPEC_CPU names. Without that variable the hooks do nothing.
//
// In mocha's parallel mode each spec file is a root suite of its own, so the root hooks run once per file. A
// program counts where the worker reaps it: a server shared by several files counts in the file that stops it.
"use strict";
const fs = require("node:fs");

const OUT = process.env.BOOKBUDDY_SPEC_CPU;

/**
 * CPU time of the children this process waited for, ms (stat(5) fields 16 and 17, cutime and cstime, counted
 * from the state field; 100 ticks per second on Linux); NaN where /proc is absent. `npm run bench` uses it too.
 */
function childrenCpuMs() {
    try {
        const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
        return (Number(fields[13]) + Number(fields[14])) * 10;
    } catch {
        return NaN;
    }
}

let start;

exports.mochaHooks = OUT
    ? {
          beforeAll() {
              start = { wall: Date.now(), own: process.cpuUsage(), children: childrenCpuMs() };
          },
          afterAll() {
              const root = this.test && this.test.parent;
              // The root suite of a file: its describe blocks and top-level tests carry the file name.
              const first = root && [...root.suites, ...root.tests].find((t) => t.file);
              const file = root && (root.file || (first && first.file));
              const own = process.cpuUsage(start.own);
              const line = {
                  file: file || "(unknown)",
                  wallMs: Date.now() - start.wall,
                  workerCpuMs: Math.round((own.user + own.system) / 1000),
                  childrenCpuMs: childrenCpuMs() - start.children,
              };
              fs.appendFileSync(OUT, JSON.stringify(line) + "\n");
          },
      }
    : {};

exports.childrenCpuMs = childrenCpuMs;
