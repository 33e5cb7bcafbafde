#!/usr/bin/env -S npx tsx
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withSettings } from './doc.ts';

// Rewrites the README's settings block from the processes' settings specs.
const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
writeFileSync(readme, await withSettings(readFileSync(readme, 'utf8'), readme));
console.log('README.md: settings tables regenerated');
