// comlink ships types for its node adapter as node-adapter.d.ts, which TypeScript does not
// pair with the .mjs file Node must import; this points one at the other.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}
