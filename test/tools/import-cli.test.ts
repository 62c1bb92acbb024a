import 'reflect-metadata';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KEYS, startTestApp, TestApp, TestStorage } from '../support/test-app';
import { history, SAMPLES, setUpSamplePop } from '../procurement/procurement-client';
import { createTestEventStore, type TestEventStore } from '../support/test-event-store';

const CLI = resolve(__dirname, '../../src/tools/cli/import.cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled import CLI as `npm run import` would; PGlite unless env says otherwise. */
function runImport(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const inherited = { ...process.env };
  for (const name of ['DATABASE_URL', 'API_KEYS', 'PROCUREMENT_WEBHOOK_SECRET', 'EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING']) delete inherited[name];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const REJECT_REPORT = [
  'record,externalId,code,rule,reason',
  '13,PO-2026-0113,RULE_VIOLATION,SPACE_OVERLAP,device FRA1-TOR-02 (U41-U41) would overlap device FRA1-EDGE-01 (U40-U41) in rack FRA1-R01 at 2026-01-23T10:30:00.000Z',
  '',
].join('\n');

const table = (accepted: number, duplicates: number, rejected: number) =>
  [`  accepted   ${String(accepted).padStart(8)}`, `  duplicates ${String(duplicates).padStart(8)}`, `  rejected   ${String(rejected).padStart(8)}`, `  total      ${String(accepted + duplicates + rejected).padStart(8)}`].join('\n');

describe('npm run import (over HTTP)', () => {
  let app: TestApp;
  let dir: string;

  before(async () => {
    app = await startTestApp();
    await setUpSamplePop(app);
    dir = await mkdtemp(join(tmpdir(), 'procurement-import-'));
    await copyFile(join(SAMPLES, 'month-end.csv'), join(dir, 'month-end.csv'));
    await copyFile(join(SAMPLES, 'month-end.json'), join(dir, 'month-end.json'));
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports the CSV sample: 12 accepted, the deliberate bad row rejected, exit code 1 and a reject report', async () => {
    const before = (await history(app, 'pop-fra1')).totalCount;
    const run = await runImport([join(dir, 'month-end.csv'), '--url', app.url, '--key', KEYS.procurement]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, `month-end.csv -> ${app.url}\n${table(12, 0, 1)}\n\nRejected records are listed in ${join(dir, 'month-end.csv')}.rejects.csv\n`);
    assert.equal(await readFile(join(dir, 'month-end.csv.rejects.csv'), 'utf8'), REJECT_REPORT);
    const { totalCount, events } = await history(app, 'pop-fra1');
    assert.equal(totalCount, before + 12);
    assert.deepEqual(new Set(events.slice(before).map((e) => `${e.source}/${e.actor}`)), new Set(['procurement/procurement']));
    assert.deepEqual(events.slice(before).map((e) => e.type), [
      'SiteLeased', 'PowerFeedAdded', 'PowerFeedAdded', 'PowerFeedAdded', 'PowerFeedAdded', 'CarrierConnected',
      'CarrierConnected', 'CarrierConnected', 'CarrierDisconnected', 'DeviceInstalled', 'DeviceInstalled', 'DeviceInstalled',
    ]);
  });

  it('imports the JSON sample of the same records: all duplicates, the bad row rejected again', async () => {
    const before = (await history(app, 'pop-fra1')).totalCount;
    const rejects = join(dir, 'json-rejects.csv');
    const run = await runImport([join(dir, 'month-end.json'), `--url=${app.url}`, `--key=${KEYS.admin}`, '--rejects', rejects]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, `month-end.json -> ${app.url}\n${table(0, 12, 1)}\n\nRejected records are listed in ${rejects}\n`);
    assert.equal(await readFile(rejects, 'utf8'), REJECT_REPORT);
    assert.equal((await history(app, 'pop-fra1')).totalCount, before);
  });

  it('exits 0 without a reject report when every record is accepted', async () => {
    const file = join(dir, 'clean.csv');
    await writeFile(file, 'externalId,kind,occurredAt,popId,circuitId\nPO-2026-0201,CIRCUIT_CEASED,2026-02-01T00:00:00Z,fra1,FRA1-DECIX-1\n');
    const run = await runImport([file, '--url', app.url, '--key', KEYS.procurement]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `clean.csv -> ${app.url}\n${table(1, 0, 0)}\n`);
    await assert.rejects(stat(`${file}.rejects.csv`), { code: 'ENOENT' });
  });

  it('exits 2 with one clear line for usage and file errors, and for a refused key', async () => {
    const noArgs = await runImport([]);
    assert.deepEqual(noArgs, {
      code: 2,
      stdout: '',
      stderr: 'import: no input file given\nusage: npm run import -- <file.csv|file.json> [--url http://host:port --key <secret>] [--rejects <path>]\n',
    });
    const missing = await runImport([join(dir, 'nope.csv'), '--url', app.url, '--key', KEYS.procurement]);
    assert.deepEqual(missing, { code: 2, stdout: '', stderr: `import: cannot read ${join(dir, 'nope.csv')}: ENOENT\n` });
    const viewer = await runImport([join(dir, 'month-end.json'), '--url', app.url, '--key', KEYS.viewer]);
    assert.deepEqual(viewer, {
      code: 2,
      stdout: '',
      stderr: `import: ${app.url}/integrations/procurement/records answered 403 FORBIDDEN: Role viewer may not do this; allowed roles: admin, procurement\n`,
    });
  });
});

/**
 * Embedded PGlite in `dir/data` even when DATABASE_URL is set: the CLI finds it through DATA_DIR alone
 * (with EVENT_STORE=esdb, the events on the KurrentDB double `events` names).
 */
const pgliteIn = (dir: string): TestStorage => ({ env: { DATA_DIR: join(dir, 'data'), ...events.env }, overrides: {}, dispose: async () => undefined });
let events: TestEventStore;

describe('npm run import (in process, embedded PGlite)', () => {
  let dir: string;

  before(async () => {
    events = await createTestEventStore();
    dir = await mkdtemp(join(tmpdir(), 'procurement-inprocess-'));
    await copyFile(join(SAMPLES, 'month-end.json'), join(dir, 'month-end.json'));
    // The service registers the sample PoP in the data directory the CLI then opens.
    const app = await startTestApp({}, {}, pgliteIn(dir));
    try {
      await setUpSamplePop(app);
    } finally {
      await app.close();
    }
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await events.dispose();
  });

  it('boots the service in the CLI process and records actor and source "import"', async () => {
    const run = await runImport([join(dir, 'month-end.json')], { DATA_DIR: join(dir, 'data'), ...events.env });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, `month-end.json -> this process\n${table(12, 0, 1)}\n\nRejected records are listed in ${join(dir, 'month-end.json')}.rejects.csv\n`);
    assert.equal(await readFile(join(dir, 'month-end.json.rejects.csv'), 'utf8'), REJECT_REPORT);

    const app = await startTestApp({}, {}, pgliteIn(dir));
    try {
      const { totalCount, events } = await history(app, 'pop-fra1');
      assert.equal(totalCount, 4 + 12);
      assert.deepEqual(new Set(events.slice(4).map((e) => `${e.source}/${e.actor}`)), new Set(['import/import']));
      assert.equal(new Set(events.slice(4).map((e) => e.correlationId)).size, 1);
    } finally {
      await app.close();
    }
  });
});
