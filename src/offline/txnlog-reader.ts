import fs from 'node:fs';
import { JuteReader, ProtocolError } from '../zk/jute/reader.js';
import { decodeRecord } from '../zk/jute/schema.js';
import { adler32, CorruptFileError, FORMAT_VERSION, LOG_MAGIC } from './integrity.js';
import { decodeTxnBody, FileHeader, TxnHeader, type TxnBody, type TxnHeader as Hdr } from './records.js';

export interface LogRecord {
  file: string;
  /** Where the record starts in the file (its checksum). */
  offset: number;
  hdr: Hdr;
  body: TxnBody;
}

/**
 * Why reading stopped. `end`: the zero padding the server preallocates, or the end of the file.
 * `truncated`: the file ends inside a record, or a record was torn by a crash (its tail and everything
 * after it are zeros): what a crash leaves, not corruption.
 */
export type LogStop = { stop: 'end'; offset: number } | { stop: 'truncated'; offset: number };

const CHUNK = 1 << 20;
const RECORD_HEAD = 12; // long checksum + int length

/**
 * Reads one transaction log (FileTxnLog): header (magic ZKLG, version 2, dbid), then records of
 * Adler32 checksum, length, TxnHeader + txn [+ TxnDigest], and 'B', then zero padding. Reads in chunks,
 * so a 64 MB preallocated file costs one chunk of memory; next() can be called again after a stop to
 * follow a file the server is still writing.
 */
export class TxnLogReader {
  readonly dbid: bigint;
  offset = 16;
  private fd: number;
  private win = Buffer.alloc(0);
  private winStart = 0;
  private size: number;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'r');
    this.size = fs.fstatSync(this.fd).size;
    const head = this.bytes(0, 16);
    if (!head) {
      this.close();
      throw new CorruptFileError(file, 0, `too short for a transaction log header (${this.size} bytes)`);
    }
    const h = decodeRecord(new JuteReader(head), FileHeader);
    if (h.magic !== LOG_MAGIC || h.version !== FORMAT_VERSION) {
      this.close();
      throw new CorruptFileError(
        file,
        0,
        h.magic !== LOG_MAGIC
          ? `not a ZooKeeper transaction log (magic 0x${(h.magic >>> 0).toString(16)})`
          : `unsupported log version ${h.version}`,
      );
    }
    this.dbid = h.dbid;
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Forgets what was read, so a file that grew is read again (follow mode). */
  refresh(): void {
    this.size = fs.fstatSync(this.fd).size;
    this.win = Buffer.alloc(0);
  }

  /** `n` bytes at `at`, or null when the file ends first. */
  private bytes(at: number, n: number): Buffer | null {
    if (at + n > this.size) return null;
    if (at < this.winStart || at + n > this.winStart + this.win.length) {
      const len = Math.min(Math.max(n, CHUNK), this.size - at);
      const b = Buffer.allocUnsafe(len);
      let got = 0;
      while (got < len) {
        const k = fs.readSync(this.fd, b, got, len - got, at + got);
        if (k === 0) break;
        got += k;
      }
      this.win = b.subarray(0, got);
      this.winStart = at;
      if (got < n) return null;
    }
    return this.win.subarray(at - this.winStart, at - this.winStart + n);
  }

  /** Everything from `at` to the end of the file is zero. */
  private zerosFrom(at: number): boolean {
    for (let p = at; p < this.size; p += CHUNK) {
      const b = this.bytes(p, Math.min(CHUNK, this.size - p))!;
      if (b.some((x) => x !== 0)) return false;
    }
    return true;
  }

  /** The next record, or why there is none (a corrupted record throws, naming the file and offset). */
  next(): LogRecord | LogStop {
    const at = this.offset;
    const head = this.bytes(at, RECORD_HEAD);
    if (!head) return this.zerosFrom(at) ? { stop: 'end', offset: at } : { stop: 'truncated', offset: at };
    const crc = head.readBigInt64BE(0);
    const len = head.readInt32BE(8);
    if (len === 0) return { stop: 'end', offset: at }; // FileTxnLog: an empty record is the padding
    if (len < 0) throw new CorruptFileError(this.file, at, `record length ${len}`);
    const payload = this.bytes(at + RECORD_HEAD, len + 1);
    if (!payload) return { stop: 'truncated', offset: at };
    const data = payload.subarray(0, len);
    const sumOk = BigInt(adler32(data)) === crc;
    if (!sumOk || payload[len] !== 0x42) {
      // A crash mid-write into preallocated space leaves the record's tail and all after it zero.
      if (payload[len] === 0 && this.zerosFrom(at + RECORD_HEAD + len + 1)) return { stop: 'truncated', offset: at };
      throw new CorruptFileError(
        this.file,
        at,
        sumOk ? 'record does not end with the end-of-record byte' : 'checksum mismatch (Adler32) in transaction record',
      );
    }
    let hdr: Hdr;
    let body: TxnBody;
    try {
      const r = new JuteReader(Buffer.from(data));
      hdr = decodeRecord(r, TxnHeader);
      body = decodeTxnBody(hdr.type, r);
    } catch (e) {
      if (e instanceof ProtocolError)
        throw new CorruptFileError(this.file, at, `undecodable transaction (${e.message})`);
      throw e;
    }
    this.offset = at + RECORD_HEAD + len + 1;
    return { file: this.file, offset: at, hdr, body };
  }
}

export const isStop = (x: LogRecord | LogStop): x is LogStop => 'stop' in x;
