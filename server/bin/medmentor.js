#!/usr/bin/env node
// The npm bin: hands over to the TypeScript entry point, which Node 24 runs directly.
import '../src/cli/main.ts';
