// Emits C for bit-field blocks and tagged unions in the shape libsel4's generated code has: a
// struct of 64-bit words, X_new(fields...), X_get_F, X_set_F and the _ptr_ variants; for a tagged
// union U with block B: U_B_new, U_B_get_F ..., U_get_<tag>, U_ptr_get_<tag>, enum U_tag.
// Setters and constructors check, with seL4_DebugAssert, that no value has bits beyond its field.

import {
  type BitfieldBlock,
  blockBits,
  type FieldPosition,
  fieldPositions,
  type TaggedUnion,
} from "../bitfields.js";
import { hexUll, lowMask } from "./c.js";

const T = "seL4_Uint64";
const INLINE = "LIBSEL4_INLINE_FUNC";

function words(block: BitfieldBlock): number {
  return blockBits(block) / 64;
}

function mask(f: FieldPosition): string {
  return hexUll(lowMask(f.bits) << BigInt(f.shift));
}

/** The check that `v` fits the field (none for a whole word, which always fits). */
function fits(f: FieldPosition, v: string): string[] {
  return f.bits === 64 ? [] : [`seL4_DebugAssert((${v} & ~${hexUll(lowMask(f.bits))}) == 0);`];
}

/** `v` moved to field f's place (no shift for a field at bit 0). */
function placed(f: FieldPosition, v: string): string {
  return f.shift === 0 ? v : `(${v} << ${f.shift})`;
}

/** Statements that replace field f of `<obj>words[...]` (obj may be `p->`) with `v`. */
function store(obj: string, f: FieldPosition, v: string): string[] {
  const w = `${obj}words[${f.word}]`;
  if (f.bits === 64) return [`${w} = ${v};`];
  return [`${w} &= ~${mask(f)};`, `${w} |= ${placed(f, v)} & ${mask(f)};`];
}

/** The statement that puts `v` into field f of words known to be zero there. */
function init(obj: string, f: FieldPosition, v: string): string {
  const w = `${obj}words[${f.word}]`;
  return f.bits === 64 ? `${w} = ${v};` : `${w} |= ${placed(f, v)} & ${mask(f)};`;
}

/** Field f of `<obj>words[...]`, as one parenthesised expression. */
function load(obj: string, f: FieldPosition): string {
  const w = `${obj}words[${f.word}]`;
  if (f.bits === 64) return w;
  return f.shift === 0 ? `(${w} & ${mask(f)})` : `((${w} & ${mask(f)}) >> ${f.shift})`;
}

interface Accessors {
  /** Prefix of every function: the block name, or `${union}_${block}`. */
  readonly prefix: string;
  /** The C struct type (without _t). */
  readonly type: string;
  readonly nwords: number;
  readonly fields: readonly FieldPosition[];
  /** For a union block: the tag field and value to set in _new and check in accessors. */
  readonly tag?: { readonly field: FieldPosition; readonly value: number };
}

function accessors(a: Accessors): string[] {
  const t = `${a.type}_t`;
  const params = a.fields.map((f) => `${T} ${f.name}`);
  const tagCheck = (obj: string) =>
    a.tag ? [`seL4_DebugAssert(${load(obj, a.tag.field)} == ${a.tag.value});`] : [];
  const construct = (obj: string) => [
    ...Array.from({ length: a.nwords }, (_, i) => `${obj}words[${i}] = 0;`),
    ...a.fields.flatMap((f) => [...fits(f, f.name), init(obj, f, f.name)]),
    ...(a.tag ? [init(obj, a.tag.field, `${a.tag.value}ull`)] : []),
  ];
  const body = (lines: string[]) => ["{", ...lines.map((l) => `    ${l}`), "}", ""];
  const out: string[] = [];
  out.push(`${INLINE} ${t} CONST`, `${a.prefix}_new(${params.join(", ") || "void"})`);
  out.push(...body([`${t} value;`, ...construct("value."), "return value;"]));
  out.push(`${INLINE} void`, `${a.prefix}_ptr_new(${[`${t} *ptr`, ...params].join(", ")})`);
  out.push(...body(construct("ptr->")));
  for (const f of a.fields) {
    out.push(`${INLINE} ${T} CONST`, `${a.prefix}_get_${f.name}(${t} value)`);
    out.push(...body([...tagCheck("value."), `return ${load("value.", f)};`]));
    out.push(`${INLINE} ${t} CONST`, `${a.prefix}_set_${f.name}(${t} value, ${T} v)`);
    out.push(
      ...body([
        ...tagCheck("value."),
        ...fits(f, "v"),
        ...store("value.", f, "v"),
        "return value;",
      ]),
    );
    out.push(`${INLINE} ${T} PURE`, `${a.prefix}_ptr_get_${f.name}(${t} *ptr)`);
    out.push(...body([...tagCheck("ptr->"), `return ${load("ptr->", f)};`]));
    out.push(`${INLINE} void`, `${a.prefix}_ptr_set_${f.name}(${t} *ptr, ${T} v)`);
    out.push(...body([...tagCheck("ptr->"), ...fits(f, "v"), ...store("ptr->", f, "v")]));
  }
  return out;
}

function struct(name: string, nwords: number): string[] {
  return [
    `struct ${name} {`,
    `    ${T} words[${nwords}];`,
    "};",
    `typedef struct ${name} ${name}_t;`,
    "",
  ];
}

export function emitBlock(block: BitfieldBlock): string[] {
  const nwords = words(block);
  return [
    ...struct(block.name, nwords),
    ...accessors({ prefix: block.name, type: block.name, nwords, fields: fieldPositions(block) }),
  ];
}

export function emitTaggedUnion(u: TaggedUnion): string[] {
  const sizes = new Set(u.blocks.map(words));
  if (sizes.size !== 1) throw new Error(`${u.name}: blocks differ in size`);
  const nwords = [...sizes][0]!;
  const t = `${u.name}_t`;
  const out = [...struct(u.name, nwords)];
  out.push(`enum ${u.name}_tag {`);
  out.push(...u.blocks.map((b) => `    ${u.name}_${b.name} = ${b.tag},`), "};");
  out.push(`typedef enum ${u.name}_tag ${u.name}_tag_t;`, "");
  const tagField = fieldPositions(u.blocks[0]!).find((f) => f.name === u.tagName)!;
  for (const b of u.blocks) {
    const tf = fieldPositions(b).find((f) => f.name === u.tagName);
    if (!tf || tf.word !== tagField.word || tf.shift !== tagField.shift) {
      throw new Error(`${u.name}_${b.name}: tag not at the common place`);
    }
  }
  const tagLoad = (obj: string) => load(obj, tagField);
  out.push(`${INLINE} ${T} CONST`, `${u.name}_get_${u.tagName}(${t} value)`);
  out.push("{", `    return ${tagLoad("value.")};`, "}", "");
  out.push(`${INLINE} int CONST`, `${u.name}_${u.tagName}_equals(${t} value, ${T} tag)`);
  out.push("{", `    return ${tagLoad("value.")} == tag;`, "}", "");
  out.push(`${INLINE} ${T} PURE`, `${u.name}_ptr_get_${u.tagName}(${t} *ptr)`);
  out.push("{", `    return ${tagLoad("ptr->")};`, "}", "");
  for (const b of u.blocks) {
    const fields = fieldPositions(b).filter((f) => f.name !== u.tagName);
    out.push(
      ...accessors({
        prefix: `${u.name}_${b.name}`,
        type: u.name,
        nwords,
        fields,
        tag: { field: tagField, value: b.tag },
      }),
    );
  }
  return out;
}
