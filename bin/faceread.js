#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (the prepare script). Node 22+ keeps the
// compiled code of its modules between runs (see src/compile-cache.ts), turned on before they load.
import { enableCompileCache } from '../dist/src/compile-cache.js';

enableCompileCache();
await import('../dist/src/cli/main.js');
