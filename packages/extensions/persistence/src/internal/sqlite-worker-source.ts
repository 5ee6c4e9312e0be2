/**
 * The SQLite writer thread's program, as source text for `new Worker(source, { eval: true })`.
 *
 * It is text rather than a module file so that it runs the same from the TypeScript sources
 * (tests, the bench through tsx), from this package's `dist` and from a bundle that inlines the
 * package: no worker file has to be found next to whichever file loaded the store. It holds the
 * store's one connection and handles one request at a time, in the order they were posted, so a
 * read posted after an append sees it. A request is answered only after its statement (for an
 * append, the whole transaction's commit) has returned: that answer is the acknowledgement.
 *
 * `workerData`: `{ modulePath, path, synchronous, schema }`. Requests: `{ id, op, ... }` with op
 * `append` (`rows`: a flat list of id, session id, run id, kind, timestamp, body per event),
 * `list` (`sessionId`), `sessionIds`, `reset` (`sessionId`) and `close`. Answers:
 * `{ id, ok: true, value? }` or `{ id, ok: false, error: { message, code } }`. The first message
 * is `{ id: 0, ok }` for the opening of the database.
 */
export const SQLITE_WORKER_SOURCE = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { mkdirSync } = require("node:fs");
const { dirname } = require("node:path");
const Database = require(workerData.modulePath);

function failure(error) {
  return { message: error && error.message ? String(error.message) : String(error), code: error && error.code ? String(error.code) : undefined };
}

let db;
try {
  mkdirSync(dirname(workerData.path), { recursive: true });
  db = new Database(workerData.path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = " + workerData.synchronous);
  // A second process writing the same file waits for the lock instead of failing at once.
  db.pragma("busy_timeout = 5000");
  db.exec(workerData.schema);
} catch (error) {
  parentPort.postMessage({ id: 0, ok: false, error: failure(error) });
  try { if (db) db.close(); } catch {}
  process.exit(0);
}

const INSERT = "INSERT OR IGNORE INTO asm_events (id, session_id, run_id, kind, timestamp, body) VALUES ";
const insert = db.prepare(INSERT + "(?, ?, ?, ?, ?, ?)");
// Rows go in statements of ROWS_PER_STATEMENT: one statement call per row cost about a quarter of
// the insert time in binding and stepping overhead. (6 parameters x 100 rows stays well under
// SQLite's parameter limit.)
const ROWS_PER_STATEMENT = 100;
const insertMany = db.prepare(INSERT + Array.from({ length: ROWS_PER_STATEMENT }, () => "(?, ?, ?, ?, ?, ?)").join(", "));
const STRIDE = 6 * ROWS_PER_STATEMENT;
const insertRows = db.transaction((rows) => {
  let index = 0;
  for (; index + STRIDE <= rows.length; index += STRIDE) insertMany.run(rows.slice(index, index + STRIDE));
  for (; index < rows.length; index += 6) {
    insert.run(rows[index], rows[index + 1], rows[index + 2], rows[index + 3], rows[index + 4], rows[index + 5]);
  }
});
const selectSession = db.prepare("SELECT body FROM asm_events WHERE session_id = ? ORDER BY seq").pluck();
const selectSessions = db.prepare("SELECT session_id FROM asm_events GROUP BY session_id ORDER BY MIN(seq)").pluck();
const deleteSession = db.prepare("DELETE FROM asm_events WHERE session_id = ?");

parentPort.on("message", (request) => {
  try {
    switch (request.op) {
      case "append":
        insertRows(request.rows);
        parentPort.postMessage({ id: request.id, ok: true });
        break;
      case "list":
        parentPort.postMessage({ id: request.id, ok: true, value: selectSession.all(request.sessionId) });
        break;
      case "sessionIds":
        parentPort.postMessage({ id: request.id, ok: true, value: selectSessions.all() });
        break;
      case "reset":
        deleteSession.run(request.sessionId);
        parentPort.postMessage({ id: request.id, ok: true });
        break;
      case "close":
        db.close();
        parentPort.postMessage({ id: request.id, ok: true });
        parentPort.close();
        break;
      default:
        parentPort.postMessage({ id: request.id, ok: false, error: { message: "unknown request " + String(request.op) } });
    }
  } catch (error) {
    parentPort.postMessage({ id: request.id, ok: false, error: failure(error) });
  }
});
parentPort.postMessage({ id: 0, ok: true });
`;
