// V8 settings for mica's workload, made before any wasm is compiled (main.ts
// imports this module first; ES modules run in import order).
//
// PERF (sel4test; docs/decisions/0002-jit.md): V8 moves a wasm function
// from its baseline compiler (Liftoff) to TurboFan once the function has
// run for a budget of about 1.8 MB of code. Translated guest code is
// hundreds of small functions, many warm for only a moment; a budget ten
// times larger leaves those in Liftoff and spends the optimizing compiler
// (on this 2-core host: the other core) on the code that stays hot.
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--wasm-tiering-budget=20000000");
