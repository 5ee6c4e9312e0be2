import { RUN_FILES_PREFIX } from "./invocation-files.js";
import { RUN_TOKEN_ENV } from "./group-registry.js";

/** Time between SIGTERM and SIGKILL once the host is gone (the whole reap stays well under 1 s). */
const GUARDIAN_GRACE_MS = 300;

/**
 * The guardian's program, run as `node -e <program>` so that it needs no file of its own (the lane
 * is bundled, and a bundle has no second entry point to start). Plain CommonJS, Node built-ins only.
 *
 * It reads JSON lines on stdin — `{"op":"add","pgid","start","token","dir","record"}` and
 * `{"op":"remove","pgid"}` — and keeps the set of live groups. When stdin ends (the host closed
 * it, exited, or died: the kernel closes a dead process's pipes, SIGKILL included), it sends
 * SIGTERM to every group and to every process carrying one of the runs' tokens, waits the grace,
 * sends SIGKILL, removes the runs' private folders and registry records, and exits.
 *
 * A group is signalled only when its leader is gone or is the very process recorded (same start
 * time): a group id is not reused while its group exists, so a recycled pid is never touched.
 */
export const GUARDIAN_PROGRAM = String.raw`"use strict";
const fs = require("node:fs");
const path = require("node:path");
const GRACE_MS = ${GUARDIAN_GRACE_MS};
const TOKEN_ENV = ${JSON.stringify(RUN_TOKEN_ENV)};
const FILES_PREFIX = ${JSON.stringify(RUN_FILES_PREFIX)};
const groups = new Map();
let buffer = "";
let reaping = false;
function stat(pid) {
  try {
    const text = fs.readFileSync("/proc/" + pid + "/stat", "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], start: fields[19] };
  } catch {
    return null;
  }
}
function ours(pgid, start) {
  const leader = stat(pgid);
  if (leader === null || leader.state === "Z") return true;
  return typeof start !== "string" || leader.start === start;
}
function send(target, signal) {
  try {
    process.kill(target, signal);
  } catch {}
}
function carriers(tokens) {
  if (tokens.size === 0 || process.platform !== "linux") return [];
  const found = [];
  let names = [];
  try {
    names = fs.readdirSync("/proc");
  } catch {}
  for (const name of names) {
    if (!/^[0-9]+$/.test(name) || Number(name) === process.pid) continue;
    let environ;
    try {
      environ = fs.readFileSync("/proc/" + name + "/environ", "utf8");
    } catch {
      continue;
    }
    for (const entry of environ.split("\0")) {
      if (entry.startsWith(TOKEN_ENV + "=") && tokens.has(entry.slice(TOKEN_ENV.length + 1))) {
        found.push(Number(name));
        break;
      }
    }
  }
  return found;
}
function reap() {
  if (reaping) return;
  reaping = true;
  const targets = [...groups.entries()].filter(([pgid, entry]) => ours(pgid, entry.start));
  const tokens = new Set(targets.map(([, entry]) => entry.token).filter((token) => typeof token === "string" && token.length >= 16));
  for (const [pgid] of targets) send(-pgid, "SIGTERM");
  const escaped = carriers(tokens);
  for (const pid of escaped) send(pid, "SIGTERM");
  setTimeout(() => {
    for (const [pgid] of targets) send(-pgid, "SIGKILL");
    for (const pid of new Set([...escaped, ...carriers(tokens)])) send(pid, "SIGKILL");
    for (const [, entry] of targets) {
      if (typeof entry.dir === "string" && path.basename(entry.dir).startsWith(FILES_PREFIX)) {
        try {
          fs.rmSync(entry.dir, { recursive: true, force: true });
        } catch {}
      }
      if (typeof entry.record === "string" && entry.record.endsWith(".json")) {
        try {
          fs.unlinkSync(entry.record);
        } catch {}
      }
    }
    process.exit(0);
  }, GRACE_MS);
}
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffer += chunk;
  for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
    const line = buffer.slice(0, end);
    buffer = buffer.slice(end + 1);
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    if (message === null || typeof message !== "object" || !Number.isInteger(message.pgid) || message.pgid <= 1) continue;
    if (message.op === "add") groups.set(message.pgid, message);
    else if (message.op === "remove") groups.delete(message.pgid);
  }
});
process.stdin.on("end", reap);
process.stdin.on("error", reap);
process.stdin.on("close", reap);
for (const signal of ["SIGINT", "SIGHUP", "SIGPIPE"]) process.on(signal, () => undefined);
`;
