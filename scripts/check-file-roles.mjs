// Every source file says its role in a dotted suffix (docs/architecture.md, "Layout"): a reader
// finds any concept by its file name. index.ts (a feature's public face) and main.ts are exempt.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROLES = new Set([
  'commands', 'events', 'state', 'evolve', 'decide', 'decider', 'enums', 'streams', 'rules', 'math', 'guards', 'types',
  'util', 'errors', 'handler', 'resolver', 'input', 'projection', 'query', 'reader', 'table', 'sql', 'module',
  'controller', 'service', 'port', 'adapter', 'factory', 'migrations', 'registry', 'config', 'scalar', 'decorator',
  'guard', 'filter', 'pipe', 'formatter', 'transform', 'validators', 'graphql', 'csv', 'svg', 'cli', 'seed', 'engine', 'runner',
  'rebuild', 'upcasters',
]);
const EXEMPT = new Set(['src/main.ts']);

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
const bad = files('src').filter((file) => {
  if (!file.endsWith('.ts') || EXEMPT.has(file) || file.endsWith('/index.ts')) return false;
  const parts = file.split('/').pop().split('.');
  return parts.length < 3 || !ROLES.has(parts[parts.length - 2]);
});
for (const file of bad) console.error(`file roles: ${file} has no role suffix: name it <name>.<role>.ts with a role of scripts/check-file-roles.mjs`);
if (bad.length > 0) process.exit(1);
