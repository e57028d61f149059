import type { CommandResult, CommandSpec, ParsedArgs } from '../commands/spec.js';
import type { MultiOp } from '../zk/client.js';
import { isSequential } from '../zk/protocol.js';
import { validatePath } from '../zk/path.js';

/** A script line that can travel inside a multi. */
export interface BatchedLine {
  line: string;
  op: MultiOp;
  result: (created?: string) => CommandResult;
  bytes: number;
}

/** Most ops per multi, and most request bytes (jute.maxbuffer is 1 MiB; keep a margin). */
export const MAX_BATCH_OPS = 1000;
export const MAX_BATCH_BYTES = 900 * 1024;

/** The line as a multi sub-op, or null if it must run on its own (other commands, bad arguments). */
export function batchable(line: string, spec: CommandSpec, parsed: ParsedArgs): BatchedLine | null {
  if (!spec.toMultiOp) return null;
  let m;
  try {
    m = spec.toMultiOp(parsed);
    if (!m) return null;
    // Validate here, so a bad path fails its own line rather than the whole batch.
    validatePath(m.op.path, m.op.type === 'create' && isSequential(m.op.mode ?? 0));
  } catch {
    return null;
  }
  const data = m.op.type === 'create' || m.op.type === 'setData' ? m.op.data?.length ?? 0 : 0;
  return { line, op: m.op, result: m.result, bytes: 64 + Buffer.byteLength(m.op.path) + data };
}
