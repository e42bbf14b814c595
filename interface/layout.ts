// How interface/ describes a C struct shared by user code and the kernel: each field's C type,
// byte offset and element count, so the kernel can read and write it by offset and the SDK
// headers can declare it and assert the same offsets.

export interface StructField {
  readonly name: string;
  /** The C type as libsel4 declares it (an array's element type). */
  readonly cType: string;
  readonly offset: number;
  /** Element size in bytes. */
  readonly size: number;
  /** Array length; absent for a scalar. */
  readonly count?: number;
  /** The C expression for the array length, when libsel4 writes one (e.g. seL4_MsgMaxLength). */
  readonly countExpr?: string;
}

export interface StructLayout {
  /** The C typedef name. */
  readonly name: string;
  /** The struct tag libsel4 uses (`struct seL4_IPCBuffer_`), when it differs from `name`. */
  readonly tag: string;
  readonly size: number;
  /** Alignment beyond the natural one (seL4_IPCBuffer is aligned to its own size). */
  readonly align?: number;
  readonly fields: readonly StructField[];
}

/** The bytes a field occupies. */
export function fieldBytes(field: StructField): number {
  return field.size * (field.count ?? 1);
}

/** Throws if fields overlap, leave gaps, or do not add up to the size: a broken table is a bug. */
export function checkLayout(layout: StructLayout): void {
  let at = 0;
  for (const field of layout.fields) {
    if (field.offset !== at) {
      throw new Error(`${layout.name}.${field.name} at ${field.offset}, expected ${at}`);
    }
    at += fieldBytes(field);
  }
  if (at !== layout.size) throw new Error(`${layout.name} is ${at} bytes, expected ${layout.size}`);
}

/** Field name -> byte offset. */
export function offsets(layout: StructLayout): Record<string, number> {
  return Object.fromEntries(layout.fields.map((f) => [f.name, f.offset]));
}
