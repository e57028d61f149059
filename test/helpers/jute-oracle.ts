// A deliberately naive jute encoder, independent of src/zk/jute: bytes are built by hand with shifts,
// so tests compare the production writer against something it does not share code with.
export const int = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
export const long = (n: bigint): number[] => {
  const u = BigInt.asUintN(64, n);
  const out: number[] = [];
  for (let i = 7; i >= 0; i--) out.push(Number((u >> BigInt(i * 8)) & 0xffn));
  return out;
};
export const bool = (b: boolean): number[] => [b ? 1 : 0];
export const str = (s: string | null): number[] => {
  if (s === null) return int(-1);
  const bytes = [...new TextEncoder().encode(s)];
  return [...int(bytes.length), ...bytes];
};
export const buf = (b: number[] | null): number[] => (b === null ? int(-1) : [...int(b.length), ...b]);
export const vec = <T>(items: T[], f: (t: T) => number[]): number[] => [...int(items.length), ...items.flatMap(f)];
export const frame = (body: number[]): Buffer => Buffer.from([...int(body.length), ...body]);
export const acl = (perms: number, scheme: string, id: string): number[] => [...int(perms), ...str(scheme), ...str(id)];
