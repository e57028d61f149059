import ADLER32 from 'adler-32';

/** A data-dir file that cannot be read as the server wrote it; the message names the file and the offset. */
export class CorruptFileError extends Error {
  override name = 'CorruptFileError';
  constructor(
    readonly file: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`${file}: ${reason} at offset ${offset}`);
  }
}

/** Adler32 as java.util.zip.Adler32 computes it (what CheckedInputStream and FileTxnLog use), unsigned. */
export function adler32(buf: Uint8Array, seed = 1): number {
  return ADLER32.buf(buf, seed) >>> 0;
}

/** The magic numbers of FileHeader: "ZKSN" for snapshots, "ZKLG" for transaction logs. */
export const SNAP_MAGIC = 0x5a4b534e;
export const LOG_MAGIC = 0x5a4b4c47;
export const FORMAT_VERSION = 2;

/** Hex without leading zeros, as the server names its files (snapshot.1a, log.100000001). */
export const hexZxid = (z: bigint): string => `0x${z.toString(16)}`;
