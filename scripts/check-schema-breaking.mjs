// Fails when schema.graphql breaks a client of the last committed SDL (git ref SCHEMA_BASE, default
// HEAD): removed types or fields, changed argument or field types, and the like (graphql-js
// findBreakingChanges). The schema test keeps schema.graphql equal to what the code builds, so
// together they show every API change in review and stop the breaking ones.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildSchema, findBreakingChanges, findDangerousChanges } from 'graphql';

const base = process.env.SCHEMA_BASE ?? 'HEAD';
let committed;
try {
  committed = execFileSync('git', ['show', `${base}:schema.graphql`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
} catch {
  console.log(`schema: no schema.graphql at ${base}, nothing to compare against`);
  process.exit(0);
}
const current = readFileSync('schema.graphql', 'utf8');
const [before, after] = [buildSchema(committed), buildSchema(current)];
for (const change of findDangerousChanges(before, after)) console.log(`schema: dangerous (${change.type}): ${change.description}`);
const breaking = findBreakingChanges(before, after);
for (const change of breaking) console.error(`schema: BREAKING (${change.type}): ${change.description}`);
if (breaking.length > 0) {
  console.error(`schema: ${breaking.length} breaking change(s) against ${base}; clients are written against these names`);
  process.exit(1);
}
console.log(`schema: no breaking change against ${base}`);
