/** Persisting the whole sandbox as one JSON file, written atomically (tmp + rename). */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { NodeSnapshot } from "./node.js";

export type SandboxStateErrorCode = "SANDBOX_STATE_UNREADABLE" | "SANDBOX_STATE_UNWRITABLE";

export class SandboxStateError extends Error {
  override readonly name = "SandboxStateError";
  constructor(
    readonly code: SandboxStateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function loadState(file: string): NodeSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const snap = JSON.parse(readFileSync(file, "utf8")) as NodeSnapshot;
    if (snap.version !== 1) throw new Error(`unknown state version ${String(snap.version)}`);
    return snap;
  } catch (cause) {
    throw new SandboxStateError("SANDBOX_STATE_UNREADABLE", `Cannot read sandbox state ${file}`, {
      cause,
    });
  }
}

export function saveState(file: string, snap: NodeSnapshot): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(snap));
    renameSync(tmp, file);
  } catch (cause) {
    throw new SandboxStateError("SANDBOX_STATE_UNWRITABLE", `Cannot write sandbox state ${file}`, {
      cause,
    });
  }
}
