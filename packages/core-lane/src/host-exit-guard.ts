import { isMainThread } from "node:worker_threads";

/** A live run as the exit guard sees it. */
export interface GuardedRun {
  /** Kills the run's processes and removes its files, synchronously (exit handlers cannot wait). */
  killSync(): void;
}

const live = new Set<GuardedRun>();
const HOST_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
let installed = false;

function killAll(): void {
  for (const run of live) {
    try {
      run.killSync();
    } catch {
      // Keep going: one failure must not spare the other runs.
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // A host with its own handler for this signal keeps control (it may interrupt runs gracefully
  // and exit later; the exit handler still kills what is left then).
  if (process.listenerCount(signal) > 1) return;
  killAll();
  // Adding a listener disables Node's default "terminate on signal": restore that default and
  // re-raise the signal so the host dies as it would have without the guard.
  uninstall();
  process.kill(process.pid, signal);
}

const signalHandlers = new Map<NodeJS.Signals, () => void>();

function uninstall(): void {
  for (const [signal, handler] of signalHandlers) process.removeListener(signal, handler);
  signalHandlers.clear();
  process.removeListener("exit", killAll);
  installed = false;
}

/**
 * Installs, once per process, the handlers that kill every live run's process group when the host
 * goes away: on `exit` (a normal end, `process.exit()`, or an uncaught exception) and on
 * SIGINT/SIGTERM/SIGHUP. A signal handler only kills and re-raises when no other listener handles
 * that signal; a host with its own shutdown logic keeps control, and the `exit` handler still
 * covers the end. Nothing can run on SIGKILL: that case is recovered by `reapOrphans()` at the
 * next start. Not installed in worker threads, which receive no signals.
 */
export function installHostExitGuard(): void {
  if (installed || !isMainThread) return;
  installed = true;
  process.on("exit", killAll);
  for (const signal of HOST_SIGNALS) {
    const handler = () => onSignal(signal);
    signalHandlers.set(signal, handler);
    process.on(signal, handler);
  }
}

/** Adds a run to the guard; returns the function that removes it. */
export function guardRun(run: GuardedRun): () => void {
  live.add(run);
  return () => {
    live.delete(run);
  };
}
