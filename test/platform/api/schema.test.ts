import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildSchemaSdl } from '../../../src/tools/cli/schema.cli';

/** <out>/test/platform/api -> the repository root. */
const COMMITTED = join(__dirname, '..', '..', '..', '..', 'schema.graphql');

describe('schema.graphql', () => {
  it('is the SDL the code builds (run `npm run schema` and commit it after an API change)', async () => {
    const [committed, built] = await Promise.all([readFile(COMMITTED, 'utf8'), buildSchemaSdl()]);
    assert.equal(built, committed);
  });
});
