// What the worker compiles: nothing given means wasm-bindgen's default, pkg/slacalc_bg.wasm
// beside its JS. The single-file build swaps this module for one holding the wasm's bytes.
export const wasmSource = undefined;
