/**
 * The part of the WebAssembly JavaScript API that ./review-counter.ts uses. Node.js has it, but
 * @types/node does not declare it, and TypeScript's `dom` lib would bring the whole DOM along.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, never>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
