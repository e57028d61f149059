import { JuteReader } from './reader.js';
import { JuteWriter } from './writer.js';

/** A jute field type: a primitive, a vector of a type, or a nested record schema. */
export type FieldType = 'int' | 'long' | 'boolean' | 'buffer' | 'ustring' | VectorType | RecordSchema;
/** `$vector` cannot collide with a jute field name, so a vector is never mistaken for a record. */
export interface VectorType {
  readonly $vector: FieldType;
}
/** A record: field name → type, in zookeeper.jute field order (object key order is insertion order). */
export interface RecordSchema {
  readonly [field: string]: FieldType;
}

/** The TypeScript value type of a field type. */
export type Infer<F> = F extends 'int'
  ? number
  : F extends 'long'
    ? bigint
    : F extends 'boolean'
      ? boolean
      : F extends 'buffer'
        ? Buffer | null
        : F extends 'ustring'
          ? string
          : F extends { readonly $vector: infer E }
            ? Infer<E>[]
            : F extends RecordSchema
              ? { -readonly [K in keyof F]: Infer<F[K]> }
              : never;

/** What encoding accepts for a field: as Infer, except that strings may be null (jute writes -1). */
export type Encodable<F> = F extends 'ustring'
  ? string | null
  : F extends { readonly $vector: infer E }
    ? Encodable<E>[] | null
    : F extends RecordSchema
      ? { readonly [K in keyof F]: Encodable<F[K]> }
      : Infer<F>;

export const vector = <E extends FieldType>(e: E): { readonly $vector: E } => ({ $vector: e });

export function encodeField(w: JuteWriter, type: FieldType, value: unknown): void {
  switch (type) {
    case 'int':
      w.int(value as number);
      return;
    case 'long':
      w.long(value as bigint);
      return;
    case 'boolean':
      w.boolean(value as boolean);
      return;
    case 'buffer':
      w.buffer(value as Buffer | null);
      return;
    case 'ustring':
      w.ustring(value as string);
      return;
    default:
      if (isVector(type)) {
        const item = type.$vector;
        w.vector(value as unknown[], (ww, v) => encodeField(ww, item, v));
        return;
      }
      encodeRecord(w, type, value as Encodable<RecordSchema>);
  }
}

function isVector(t: FieldType): t is VectorType {
  return typeof t === 'object' && '$vector' in t;
}

/**
 * Encodes a record. The value is typed from the schema, so a misspelled or missing field does not
 * compile; at run time a missing field throws rather than encoding as 0 (which would, say, turn an
 * unconditional delete into a conditional one).
 */
export function encodeRecord<S extends RecordSchema>(w: JuteWriter, schema: S, value: Encodable<S>): void {
  const v = value as Record<string, unknown>;
  for (const key in schema) {
    if (v[key] === undefined) throw new TypeError(`jute: field '${key}' is missing from the record to encode`);
    encodeField(w, schema[key]!, v[key]);
  }
}

export function decodeField(r: JuteReader, type: FieldType): unknown {
  switch (type) {
    case 'int':
      return r.int();
    case 'long':
      return r.long();
    case 'boolean':
      return r.boolean();
    case 'buffer':
      return r.buffer();
    case 'ustring':
      return r.ustring();
    default:
      if (isVector(type)) {
        const item = type.$vector;
        if (item === 'ustring') return r.strings();
        return r.vector((rr) => decodeField(rr, item));
      }
      return decodeRecord(r, type);
  }
}

/** Hand-written decoders of records read per node (Stat): a field loop costs more than the fields. */
const FAST = new Map<RecordSchema, (r: JuteReader) => unknown>();
export function fastDecoder<S extends RecordSchema>(schema: S, read: (r: JuteReader) => Infer<S>): void {
  FAST.set(schema, read);
}

export function decodeRecord<S extends RecordSchema>(r: JuteReader, schema: S): Infer<S> {
  const fast = FAST.get(schema);
  if (fast) return fast(r) as Infer<S>;
  const out: Record<string, unknown> = {};
  for (const key in schema) out[key] = decodeField(r, schema[key]!);
  return out as Infer<S>;
}
