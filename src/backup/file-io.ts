// Export files on disk: written through a stream with backpressure (gzipped for a .gz name), read back
// line by line (gzip recognised by its magic bytes) with every line checked, whatever the file's size.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type zlibT from 'node:zlib';
import { CommandFailed, UsageError } from '../commands/spec.js';
import { builtin } from '../zk/builtin.js';
import {
  FormatError,
  parseHeader,
  parseLine,
  relParent,
  type ExportEnd,
  type ExportHeader,
  type NodeRecord,
} from './format.js';

const zlib = builtin<typeof zlibT>('node:zlib');

/** Lines joined into ~64 KB chunks of text: one write per chunk, not per line. */
export async function* chunkLines(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let buf = '';
  for await (const l of lines) {
    buf += `${l}\n`;
    if (buf.length >= 64 * 1024) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/**
 * Writes lines to a file (gzip when the name ends in .gz); resolves once everything is on disk. A regular
 * file is written under a temporary name beside it and renamed at the end, so an export that is stopped
 * (Ctrl-C, a lost session) leaves no half file behind, nor clobbers an older export of the same name.
 */
export async function writeLinesToFile(file: string, lines: AsyncIterable<string>): Promise<void> {
  const temp = tempBeside(file);
  const out = fs.createWriteStream(temp ?? file);
  // One chunk read ahead, not Readable.from's default 16: chunks can be a megabyte (one 1 MB node's line).
  const text = Readable.from(chunkLines(lines), { highWaterMark: 1 });
  try {
    if (file.endsWith('.gz')) await pipeline(text, zlib().createGzip(), out);
    else await pipeline(text, out);
    if (temp) fs.renameSync(temp, file);
  } catch (e) {
    if (temp) fs.rmSync(temp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    // A file system error is named; errors from the reads (a lost session) pass through as they are.
    if (typeof code === 'string' && code.startsWith('E')) throw new CommandFailed(`cannot write ${file}: ${code}`);
    throw e;
  }
}

/**
 * A temporary name in the file's directory, or null to write in place. Only a plain file (or a new one) is
 * replaced by rename: a symlink (/dev/stdout is one; rename would replace the link itself), a device, a
 * pipe or a file with other hard links is written in place. The temporary file takes the old file's mode
 * and owner, so a 0600 export stays 0600.
 */
function tempBeside(file: string): string | null {
  let old: fs.Stats | null = null;
  try {
    old = fs.lstatSync(file);
  } catch {
    // Not there yet: a new regular file.
  }
  if (old && (!old.isFile() || old.nlink > 1)) return null;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  let fd: number;
  try {
    // A new file gets 0666 less the umask, as an in-place write would.
    fd = fs.openSync(temp, 'wx', old ? 0o600 : 0o666);
  } catch {
    return null;
  }
  try {
    if (old) {
      fs.fchmodSync(fd, old.mode & 0o7777);
      // Someone else's file (root writing over it): theirs it stays; where that is not allowed, write in place.
      if (old.uid !== process.getuid?.() || old.gid !== process.getgid?.()) fs.fchownSync(fd, old.uid, old.gid);
    }
    return temp;
  } catch {
    fs.rmSync(temp, { force: true });
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

function openInput(file: string): NodeJS.ReadableStream {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      fs.closeSync(fd);
      // The gzip check reads at offset 0, and import reads the file twice (check, then write): a pipe allows
      // neither.
      throw st.isDirectory()
        ? Object.assign(new Error('is a directory'), { code: 'EISDIR' })
        : new Error('not a regular file (save it to a file first)');
    }
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const magic = Buffer.alloc(2);
  const n = fs.readSync(fd, magic, 0, 2, 0);
  const raw = fs.createReadStream('', { fd, start: 0 });
  if (n === 2 && magic[0] === 0x1f && magic[1] === 0x8b) {
    const gunzip = zlib().createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    return raw.pipe(gunzip);
  }
  return raw;
}

/**
 * The lines of a byte stream, a chunk's worth at a time. Lines end at "\n" (a byte no UTF-8 sequence contains,
 * so each chunk is cut there before decoding) and lose a trailing "\r" (a file saved with CRLF endings).
 */
export async function* lineBatches(input: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  // The start of a line not ended yet: a line can span many chunks (a 1 MB node's data is one line).
  let pieces: Buffer[] = [];
  const split = (text: string): string[] => {
    const out = text.split('\n');
    for (let i = 0; i < out.length; i++) if (out[i]!.endsWith('\r')) out[i] = out[i]!.slice(0, -1);
    return out;
  };
  for await (const chunk of input) {
    const last = chunk.lastIndexOf(0x0a);
    if (last < 0) {
      pieces.push(chunk);
      continue;
    }
    const head = pieces.length > 0 ? Buffer.concat([...pieces, chunk.subarray(0, last)]) : chunk.subarray(0, last);
    pieces = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
    yield split(head.toString('utf8'));
  }
  if (pieces.length > 0) yield split(Buffer.concat(pieces).toString('utf8'));
}

/** One pass over an export file: the header, then each record, checked; the end record last. */
export interface ExportPass {
  header: ExportHeader;
  records: AsyncGenerator<NodeRecord>;
  /** Set once `records` has finished. */
  end: () => ExportEnd | null;
}

/**
 * Reads an export file, checking every line: the header (format and version), each record, parents before
 * children, no duplicates, and the end record with the right count. Any fault throws FormatError naming the line.
 * `trackOrder` also demands walk order (children sorted), which diff relies on.
 */
export async function openExport(
  file: string,
  /** A further check of each record: the reason to refuse it (a FormatError naming its line), or null. */
  refuse?: (r: NodeRecord) => string | null,
): Promise<ExportPass> {
  const input = openInput(file);
  const source = lineBatches(input as AsyncIterable<Buffer>);
  // Lines come a chunk at a time: a promise per chunk, not per line (~100,000 lines a second).
  let lines: string[] = [];
  let at = 0;
  let lineNo = 0;
  const more = async (): Promise<boolean> => {
    try {
      // Every batch holds at least one line (splitting never gives an empty list).
      const r = await source.next();
      if (r.done) return false;
      lines = r.value;
      at = 0;
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      const why = code.startsWith('Z_')
        ? 'the gzip data is truncated or corrupted'
        : `read error (${code || String(e)})`;
      throw new FormatError(file, lineNo + 1, why);
    }
  };
  const close = (): void => {
    void source.return(undefined);
    (input as Readable).destroy?.();
  };
  if (!(await more())) {
    close();
    throw new FormatError(file, 1, 'the file is empty: not a zk-shell export');
  }
  const first = lines[at++]!;
  lineNo = 1;
  const header = parseHeader(file, first);
  let end: ExportEnd | null = null;
  const records = async function* (): AsyncGenerator<NodeRecord> {
    const seen = new Set<string>();
    let count = 0;
    try {
      for (;;) {
        if (at >= lines.length && !(await more())) break;
        const line = lines[at++]!;
        lineNo++;
        if (end) throw new FormatError(file, lineNo, 'more lines after the end record');
        // A record starts with "{": only another first character needs the whitespace check.
        if (line.charCodeAt(0) !== 123 && line.trim() === '') throw new FormatError(file, lineNo, 'an empty line');
        const r = parseLine(file, lineNo, line, header.acl);
        if ('end' in r) {
          if (r.nodes !== count)
            throw new FormatError(file, lineNo, `the end record counts ${r.nodes} nodes, the file has ${count}`);
          end = r;
          continue;
        }
        if (count === 0 && r.path !== '') throw new FormatError(file, lineNo, 'the first record is not the root ("")');
        if (seen.has(r.path)) throw new FormatError(file, lineNo, `${JSON.stringify(r.path)} appears twice`);
        const parent = relParent(r.path);
        if (parent !== null && !seen.has(parent))
          throw new FormatError(file, lineNo, `${JSON.stringify(r.path)} comes before its parent`);
        const why = refuse?.(r);
        if (why) throw new FormatError(file, lineNo, why);
        seen.add(r.path);
        count++;
        yield r;
      }
      if (!end)
        throw new FormatError(
          file,
          lineNo + 1,
          `the file ends after line ${lineNo} without its end record (truncated)`,
        );
    } finally {
      close();
    }
  };
  return { header, records: records(), end: () => end };
}
