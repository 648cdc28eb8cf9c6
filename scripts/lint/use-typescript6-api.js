// typescript-eslint and dependency-cruiser read code through the TypeScript compiler API, which
// TypeScript 7 (the project's `tsc`) does not ship yet. In a process that imports this module first,
// `typescript` means TypeScript 6's API, published side by side as @typescript/typescript6.
// Remove this file once typescript-eslint supports TypeScript 7.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const isTypeScript = specifier === 'typescript' || specifier.startsWith('typescript/');
    return nextResolve(
      isTypeScript ? `@typescript/typescript6${specifier.slice('typescript'.length)}` : specifier,
      context,
    );
  },
});
