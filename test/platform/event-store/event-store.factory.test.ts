import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../src/platform/config/app.config';
import type { SqlClient } from '../../../src/platform/database/sql-client.port';
import { toEsdbConnectionString } from '../../../src/platform/event-store/esdb-event-store.adapter';
import { createEventStore } from '../../../src/platform/event-store/event-store.factory';
import { SERVICE_MAIN } from '../../support/service-process';

/** The compiled sources next to the compiled tests: <out>/test/platform/event-store -> <out>/src. */
const COMPILED_SRC = join(__dirname, '..', '..', '..', 'src');

describe('event store factory', () => {
  test('the compiled service started with EVENT_STORE=esdb loads the adapter and meets a connection error, not ERR_MODULE_NOT_FOUND', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'esdb-start-'));
    try {
      const port = await closedPort();
      const run = await runService(
        {
          EVENT_STORE: 'esdb',
          EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${port}?tls=false`,
          DATA_DIR: dataDir,
          PORT: String(await closedPort()),
          LOG_LEVEL: 'warn',
        },
        // Past module loading, the client tries to connect: the projections report the refused connection and retry.
        (output) => /ECONNREFUSED|UNAVAILABLE/.test(output),
        60_000,
      );
      assert.doesNotMatch(run.output, /ERR_MODULE_NOT_FOUND|Cannot find module/, run.output);
      assert.match(run.output, /ECONNREFUSED|UNAVAILABLE/, run.output);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('no compiled source keeps a native import() of a relative path (CommonJS output: Node would not add the extension)', () => {
    const offenders = jsFiles(COMPILED_SRC).filter((file) => /\bimport\(\s*['"`]\.{1,2}\//.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  for (const scheme of ['kurrentdb', 'kurrentdb+discover', 'kurrent', 'kurrent+discover', 'kdb', 'kdb+discover', 'esdb', 'esdb+discover']) {
    test(`a ${scheme}:// connection string passes the configuration and creates a store (client 6.2.1 parses only esdb schemes)`, async () => {
      const config = loadConfig({ EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: `${scheme}://admin:changeit@127.0.0.1:2113?tls=false&keepAliveInterval=10000` });
      const store = await createEventStore(config, {} as SqlClient);
      assert.equal(store.kind, 'esdb');
      await store.close();
    });
  }

  test('Kurrent schemes are translated to the esdb scheme of the same topology; the rest of the string is kept', () => {
    const rest = 'admin:changeit@node1:2113,node2:2113?tls=true&nodePreference=leader';
    assert.equal(toEsdbConnectionString(`kurrentdb://${rest}`), `esdb://${rest}`);
    assert.equal(toEsdbConnectionString(`kurrent://${rest}`), `esdb://${rest}`);
    assert.equal(toEsdbConnectionString(`kdb://${rest}`), `esdb://${rest}`);
    assert.equal(toEsdbConnectionString(`kurrentdb+discover://${rest}`), `esdb+discover://${rest}`);
    assert.equal(toEsdbConnectionString(`kurrent+discover://${rest}`), `esdb+discover://${rest}`);
    assert.equal(toEsdbConnectionString(`kdb+discover://${rest}`), `esdb+discover://${rest}`);
    assert.equal(toEsdbConnectionString(`esdb://${rest}`), `esdb://${rest}`);
    assert.equal(toEsdbConnectionString(`  esdb+discover://${rest}`), `esdb+discover://${rest}`);
  });
});

/** Runs the compiled service until `done(output)` holds (or it exits), then stops it. */
async function runService(env: Record<string, string>, done: (output: string) => boolean, timeoutMs: number): Promise<{ output: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'API_KEYS', 'EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING']) delete childEnv[name];
  const child = spawn(process.execPath, [SERVICE_MAIN], { env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const check = (chunk: Buffer) => {
      output += chunk.toString();
      if (done(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  return { output };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? jsFiles(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  );
}
