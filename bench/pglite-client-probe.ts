import { dirname, join, resolve } from 'node:path';
import type { SqlClient } from '../src/platform/database/sql-client.port';
import { probeArguments, runMain } from './probe-runner';

const CALLS = 2_000;
const WARMUP_CALLS = 200;

/** Statements shaped like the projection batches' on PGlite: rows of many columns, a short transaction, one long text. */
const STATEMENTS: Record<string, (sql: SqlClient) => Promise<unknown>> = {
  '20 rows of 10 columns by primary key': (sql) => sql.query('SELECT * FROM probe_points WHERE pop_id = $1 ORDER BY at LIMIT 20', ['p7']),
  'a transaction: BEGIN, UPDATE, count(*), COMMIT': (sql) =>
    sql.transaction(async (tx) => {
      await tx.query('UPDATE probe_points SET a = a + $2 WHERE pop_id = $1 AND at = (SELECT min(at) FROM probe_points WHERE pop_id = $1)', ['p3', 1]);
      await tx.query('SELECT count(*) AS n FROM probe_points WHERE pop_id = $1', ['p3']);
    }),
  'one row of one long JSON text': (sql) =>
    sql.query(`SELECT string_agg(concat('{"a":', a, ',"b":"', pop_id, '"}'), ',') AS j FROM probe_points WHERE pop_id = ANY($1::text[])`, [['p1', 'p2']]),
};

/**
 * The embedded SQL client's own cost, in one process and without the service: `node dist/bench/pglite-client-probe.js
 * [<main.js> ...] [--rounds=5]`. Each build's PgliteSqlClient (next to its main.js) opens an in-memory PGlite with
 * 2,000 rows of 10 columns; per statement shape and round, every build in turn (the order alternating) runs it
 * 200 times, then 2,000 times measured: CPU per call (process.cpuUsage, user plus system), which the load of other
 * work on the machine changes far less than a service's rate.
 */
async function main(): Promise<void> {
  const { mains, option } = probeArguments();
  const clients: SqlClient[] = [];
  for (const main of mains) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- each build's own adapter, by path
    const { PgliteSqlClient } = require(join(dirname(resolve(main)), 'platform', 'database', 'pglite-sql-client.adapter.js')) as typeof import('../src/platform/database/pglite-sql-client.adapter');
    const sql = await PgliteSqlClient.create();
    await sql.exec(`CREATE TABLE probe_points (pop_id text, at timestamptz, block timestamptz, a int, b int, c float8, d float8, e float8, f int, g float8, PRIMARY KEY (pop_id, at));
      INSERT INTO probe_points SELECT 'p' || (n % 50), now() + n * interval '1 hour', now(), n, n, n * 1.5, n * 2.5, 1, 2, 3 FROM generate_series(1, 2000) AS n`);
    clients.push(sql);
  }
  try {
    for (const [shape, run] of Object.entries(STATEMENTS)) {
      const perCall = mains.map((): string[] => []);
      for (let round = 0; round < option('rounds', 5); round++) {
        const order = mains.map((_, i) => i);
        if (round % 2 === 1) order.reverse();
        for (const i of order) {
          for (let call = 0; call < WARMUP_CALLS; call++) await run(clients[i]);
          const before = process.cpuUsage();
          for (let call = 0; call < CALLS; call++) await run(clients[i]);
          const { user, system } = process.cpuUsage(before);
          perCall[i].push(((user + system) / CALLS).toFixed(1));
        }
      }
      console.log(`${shape}: ${mains.map((main, i) => `${main} ${perCall[i].join('/')} µs`).join('; ')}`);
    }
  } finally {
    for (const sql of clients) await sql.close();
  }
}

runMain(main);
