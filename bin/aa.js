#!/usr/bin/env node
// The `aa` command: Node 24 runs our TypeScript directly (type stripping), so there is no build step.
import '../src/cli/main.ts';
