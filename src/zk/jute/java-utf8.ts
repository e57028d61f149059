// The server encodes a jute string one UTF-16 unit at a time (BinaryOutputArchive.stringToByteBuffer), so a
// character beyond U+FFFF (an emoji in an ACL id, say) arrives as two 3-byte surrogate sequences (CESU-8),
// which a UTF-8 decoder turns into six U+FFFD. Such strings are decoded unit by unit instead, giving back the
// string the server holds; clients send standard UTF-8, which the server reads correctly.

/** Whether bytes [start, end) hold a 3-byte encoded surrogate (0xED 0xA0-0xBF). */
function hasSurrogate(buf: Buffer, start: number, end: number): boolean {
  for (let i = buf.indexOf(0xed, start); i >= 0 && i + 1 < end; i = buf.indexOf(0xed, i + 1))
    if (buf[i + 1]! >= 0xa0 && buf[i + 1]! <= 0xbf) return true;
  return false;
}

/** A jute string: UTF-8, with encoded surrogates (see above) decoded as the UTF-16 units they are. */
export function decodeJavaUtf8(buf: Buffer, start: number, end: number): string {
  const s = buf.toString('utf8', start, end);
  // Only a decode that met bytes it could not read can hold a surrogate sequence.
  if (!s.includes('\ufffd') || !hasSurrogate(buf, start, end)) return s;
  let out = '';
  let from = start;
  for (let i = start; i + 2 < end;) {
    if (buf[i] === 0xed && buf[i + 1]! >= 0xa0 && buf[i + 1]! <= 0xbf && (buf[i + 2]! & 0xc0) === 0x80) {
      out +=
        buf.toString('utf8', from, i) +
        String.fromCharCode(0xd000 | ((buf[i + 1]! & 0x3f) << 6) | (buf[i + 2]! & 0x3f));
      i += 3;
      from = i;
    } else i++;
  }
  return out + buf.toString('utf8', from, end);
}
