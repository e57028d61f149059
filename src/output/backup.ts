// Renderers for export, import, cp and diff: streamed text goes out as it comes; a transfer's summary is
// lines of text, one JSON object of counts, or a key/value table.
import type { CommandResult } from '../commands/spec.js';
import type { Sink } from './format.js';

type Transfer = Extract<CommandResult, { type: 'transfer' }>;

export async function renderStream(r: Extract<CommandResult, { type: 'stream' }>, sink: Sink): Promise<void> {
  for await (const c of r.chunks) sink.out(c);
}

export const transferText = (r: Transfer): string => (r.summary.length ? `${r.summary.join('\n')}\n` : '');

export const transferJson = (r: Transfer): unknown => ({ [r.action]: r.counts });

export const transferRows = (r: Transfer): [string, string | number][] => Object.entries(r.counts);
