import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../../src/platform/config/app.config';
import { runMigrations } from '../../../src/platform/database/migrations.runner';
import { openSqlClient } from '../../../src/platform/database/open-sql-client.factory';
import type { SqlClient } from '../../../src/platform/database/sql-client.port';
import { emptyPgliteCluster, emptyPgliteClusterFile } from '../../support/pglite-template';
import { testDatabases } from '../../support/test-databases';

const TIMEOUT = { timeout: 60_000 };

for (const database of testDatabases()) {
  describe(`SqlClient on ${database.name}`, () => {
    let sql: SqlClient;
    let dispose: () => Promise<void>;
    before(async () => ({ sql, dispose } = await database.create()));
    after(() => dispose());

    test('the same JS types in both modes: exact int8 and numeric as text, dates as text, jsonb parsed', TIMEOUT, async () => {
      const { rows, rowCount } = await sql.query(
        `SELECT 9007199254740993::int8 AS big, 1.10::numeric AS amount, DATE '2031-03-01' AS day,
                TIMESTAMPTZ '2031-03-01T12:00:00Z' AS at, '{"a":[1,"x"]}'::jsonb AS doc, 7::int4 AS small, $1::text AS param`,
        ['p'],
      );
      assert.equal(rowCount, 1);
      assert.deepEqual(rows, [
        { big: '9007199254740993', amount: '1.10', day: '2031-03-01', at: new Date('2031-03-01T12:00:00Z'), doc: { a: [1, 'x'] }, small: 7, param: 'p' },
      ]);
    });

    test('parameters are sent as node-postgres sends them: arrays as arrays, objects as JSON, dates as timestamps', TIMEOUT, async () => {
      const { rows } = await sql.query(
        'SELECT $1::text[] AS tags, $2::int[] AS nested, $3::jsonb AS doc, $4::timestamptz AS at, $5::bytea AS bytes, $6::bool AS flag, $7::int8 AS big, $8::text AS missing',
        [['a', 'b "quoted" \\ back', null], [[1, 2], [3, 4]], { k: ['v', 1] }, new Date('2031-03-01T12:00:00Z'), Buffer.from([0, 255]), true, 9007199254740993n, null],
      );
      assert.deepEqual(rows, [
        {
          tags: ['a', 'b "quoted" \\ back', null],
          nested: [[1, 2], [3, 4]],
          doc: { k: ['v', 1] },
          at: new Date('2031-03-01T12:00:00Z'),
          bytes: rows[0].bytes,
          flag: true,
          big: '9007199254740993',
          missing: null,
        },
      ]);
      assert.deepEqual([...(rows[0].bytes as Uint8Array)], [0, 255]);
    });

    test('arrays of strings and numbers keep every value, however spelled', TIMEOUT, async () => {
      const texts = ['', 'NULL', ' padded ', '{a,b}', 'quote " and \\ backslash', 'ünï 🚀', 'x'.repeat(1000), null];
      const numbers = [0, -0, 1.5, -2.25e-7, 1e21, 0.1 + 0.2, Number.MAX_VALUE, null];
      const { rows } = await sql.query('SELECT $1::text[] AS texts, $2::float8[] AS floats, $3::int[] AS ints, $4::text[] AS mixed, $5::text[] AS empty', [
        texts,
        numbers,
        [1, -2, null],
        [1.5, 'a'],
        [],
      ]);
      assert.deepEqual(rows, [{ texts, floats: [0, 0, ...numbers.slice(2)], ints: [1, -2, null], mixed: ['1.5', 'a'], empty: [] }]);
    });

    test('insertColumns writes the rows INSERT ... unnest writes, however awkward the values, by COPY when many on a server', TIMEOUT, async () => {
      const texts = ['', 'NULL', '\\N', '\\.', 'tab\there', 'line\nbreak', 'cr\rlf\r\n', 'back\\slash\\', '\\t not a tab', 'quote " \' {a,b}', 'ünï 🚀', ' padded ', null];
      const floats = [0, -0, 1.5, -2.25e-7, 1e21, 0.1 + 0.2, Number.MAX_VALUE, Infinity, -Infinity, NaN, null];
      const instants = ['2031-03-01T12:00:00.123Z', '2031-03-01T12:00:00+05:30', null];
      const many = 2 * 256; // over the server's COPY threshold
      const columns = { n: 'int', s: 'text', f: 'float8', at: 'timestamptz', amount: 'numeric', doc: 'jsonb' };
      const rows = (count: number) => [
        Array.from({ length: count }, (_, i) => i),
        Array.from({ length: count }, (_, i) => texts[i % texts.length]),
        Array.from({ length: count }, (_, i) => floats[i % floats.length]),
        Array.from({ length: count }, (_, i) => instants[i % instants.length]),
        Array.from({ length: count }, (_, i) => (i % 4 === 3 ? null : `${i}.10`)),
        Array.from({ length: count }, (_, i) => JSON.stringify({ text: texts[i % texts.length], list: [i, '\t\\'] })),
      ];
      await sql.exec(`CREATE TABLE by_columns (n int PRIMARY KEY, s text, f float8, at timestamptz, amount numeric, doc jsonb);
        CREATE TABLE by_unnest (LIKE by_columns INCLUDING ALL);
        CREATE TABLE statements_seen (statement text);
        CREATE FUNCTION record_statement() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO statements_seen VALUES (split_part(current_query(), ' ', 1)); RETURN NULL; END $$;
        CREATE TRIGGER seen AFTER INSERT ON by_columns FOR EACH STATEMENT EXECUTE FUNCTION record_statement()`);
      await sql.transaction((tx) => tx.insertColumns('by_columns', columns, rows(many)));
      await sql.query(`INSERT INTO by_unnest SELECT * FROM unnest($1::int[], $2::text[], $3::float8[], $4::timestamptz[], $5::numeric[], $6::jsonb[])`, rows(many));
      const read = async (table: string) => (await sql.query(`SELECT * FROM ${table} ORDER BY n`)).rows;
      const written = await read('by_columns');
      assert.equal(written.length, many);
      assert.deepEqual(written, await read('by_unnest'));
      assert.deepEqual(written.slice(0, texts.length).map(({ s }) => s), texts);
      // A few rows go as INSERT, also outside a transaction; a failing COPY rejects and leaves the connection usable.
      await sql.insertColumns('by_columns', columns, rows(many + 3).map((column) => column.slice(many)));
      await assert.rejects(sql.transaction((tx) => tx.insertColumns('by_columns', columns, rows(many))), { code: '23505' });
      assert.deepEqual((await sql.query('SELECT count(*)::int AS n FROM by_columns')).rows, [{ n: many + 3 }]);
      const { rows: seen } = await sql.query<{ statement: string }>('SELECT statement FROM statements_seen');
      assert.deepEqual(seen.map(({ statement }) => statement), database.name === 'postgres' ? ['COPY', 'INSERT'] : ['INSERT', 'INSERT']);
    });

    test('rowCount counts affected rows; a query without parameters may hold several statements', TIMEOUT, async () => {
      await sql.query('CREATE TABLE counted (n int); INSERT INTO counted VALUES (1), (2), (3)');
      assert.equal((await sql.query('UPDATE counted SET n = n + 1 WHERE n > $1', [1])).rowCount, 2);
      assert.deepEqual((await sql.query('SELECT 1 AS a; SELECT 2 AS b')).rows, [{ b: 2 }]);
    });

    test('a transaction commits, or rolls back when its callback throws', TIMEOUT, async () => {
      await sql.exec('CREATE TABLE tx_items (id int PRIMARY KEY); CREATE TABLE tx_other (id int)');
      assert.equal(await sql.transaction(async (tx) => (await tx.query('INSERT INTO tx_items VALUES (1)')).rowCount), 1);
      await assert.rejects(
        sql.transaction(async (tx) => {
          await tx.query('INSERT INTO tx_items VALUES (2)');
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      await assert.rejects(sql.transaction((tx) => tx.query('INSERT INTO tx_items VALUES (1)')), { code: '23505' });
      assert.deepEqual((await sql.query('SELECT id FROM tx_items ORDER BY id')).rows, [{ id: 1 }]);
    });

    test('listen delivers notifications until unsubscribed', TIMEOUT, async () => {
      const payloads: string[] = [];
      let received!: () => void;
      const second = new Promise<void>((resolve) => (received = resolve));
      const unlisten = await sql.listen('sql_client_test', (payload) => {
        payloads.push(payload);
        if (payloads.length === 2) received();
      });
      await sql.query("SELECT pg_notify('sql_client_test', 'one')");
      await sql.query('SELECT pg_notify($1, $2)', ['sql_client_test', 'two']);
      await second;
      await unlisten();
      await sql.query("SELECT pg_notify('sql_client_test', 'three')");
      // The listener connection (PostgreSQL) or the single connection (PGlite) has run UNLISTEN already.
      assert.deepEqual(payloads, ['one', 'two']);
    });

    test('a notification sent in a transaction arrives once, at commit; none from one rolled back', TIMEOUT, async () => {
      const payloads: string[] = [];
      const unlisten = await sql.listen('sql_client_tx', (payload) => payloads.push(payload));
      await sql.transaction((tx) => tx.query('SELECT pg_notify($1, $2)', ['sql_client_tx', 'committed']));
      await assert.rejects(
        sql.transaction(async (tx) => {
          await tx.query('SELECT pg_notify($1, $2)', ['sql_client_tx', 'rolled back']);
          throw new Error('undo');
        }),
        /undo/,
      );
      // A later statement's answer comes after the notification's delivery on both stores.
      for (let i = 0; i < 20 && payloads.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      await unlisten();
      assert.deepEqual(payloads, ['committed']);
    });

    test("a failing statement with parameters throws the server's error with its fields", TIMEOUT, async () => {
      await sql.exec('CREATE TABLE err_items (id int CONSTRAINT err_items_pk PRIMARY KEY)');
      await sql.query('INSERT INTO err_items VALUES ($1)', [1]);
      await assert.rejects(sql.query('INSERT INTO err_items VALUES ($1)', [1]), {
        code: '23505',
        constraint: 'err_items_pk',
        table: 'err_items',
        detail: 'Key (id)=(1) already exists.',
        message: 'duplicate key value violates unique constraint "err_items_pk"',
      });
    });

    test('a large answer arrives whole: 5,000 rows of 100 characters, nulls kept', TIMEOUT, async () => {
      const { rows, rowCount } = await sql.query<{ n: number; text: string | null }>(
        "SELECT n, CASE WHEN n % 7 = 0 THEN NULL ELSE repeat('é', 99) || n % 10 END AS text FROM generate_series(1, $1::int) AS n",
        [5_000],
      );
      assert.equal(rowCount, 5_000);
      assert.deepEqual(rows[4_999], { n: 5_000, text: `${'é'.repeat(99)}0` });
      assert.equal(rows.filter((row) => row.text === null).length, 714);
      assert.equal(rows.reduce((sum, row) => sum + row.n, 0), 12_502_500);
    });

    test('migrations apply in id order, once, and a failing one leaves no trace', TIMEOUT, async () => {
      const migrations = [
        { id: 'test-0002', sql: "INSERT INTO migrated VALUES ('second')" },
        { id: 'test-0001', sql: 'CREATE TABLE migrated (step text); INSERT INTO migrated VALUES (\'first\')' },
      ];
      await runMigrations(sql, migrations);
      await runMigrations(sql, migrations);
      assert.deepEqual((await sql.query('SELECT step FROM migrated')).rows, [{ step: 'first' }, { step: 'second' }]);
      await assert.rejects(runMigrations(sql, [...migrations, { id: 'test-0003', sql: "INSERT INTO migrated VALUES ('third'); SELECT 1/0" }]));
      assert.equal((await sql.query('SELECT step FROM migrated')).rowCount, 2);
      assert.equal((await sql.query("SELECT 1 FROM schema_migrations WHERE id = 'test-0003'")).rowCount, 0);
    });

    if (database.name === 'pglite') {
      test('PGlite: other callers wait while a transaction runs', TIMEOUT, async () => {
        await sql.exec('CREATE TABLE waited (n int)');
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let inserted!: () => void;
        const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
        const transaction = sql.transaction(async (tx) => {
          await tx.query('INSERT INTO waited VALUES (1)');
          inserted();
          await gate;
        });
        await insertedOnce;
        const count = sql.query<{ n: string }>('SELECT count(*) AS n FROM waited');
        release();
        await transaction;
        assert.deepEqual((await count).rows, [{ n: '1' }]);
      });

      test('PGlite: the client itself inside a transaction fails fast instead of deadlocking', TIMEOUT, async () => {
        await assert.rejects(
          sql.transaction(() => sql.query('SELECT 1')),
          /use the queryable passed to the callback/,
        );
        assert.deepEqual((await sql.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
      });

      test('PGlite: a statement with parameters is prepared once and reused; one that failed is prepared again', TIMEOUT, async () => {
        const text = 'SELECT 10 / $1::int AS tenth';
        const prepared = async () =>
          (await sql.query<{ n: string }>('SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1', [text])).rows[0].n;
        assert.deepEqual((await sql.query(text, [2])).rows, [{ tenth: 5 }]);
        assert.deepEqual((await sql.query(text, [5])).rows, [{ tenth: 2 }]);
        assert.equal(await prepared(), '1');
        await assert.rejects(sql.query(text, [0]), /division by zero/);
        assert.equal(await prepared(), '0');
        await assert.rejects(
          sql.transaction(async (tx) => {
            await assert.rejects(tx.query('SELECT 1 / $1::int', [0]), /division by zero/);
            // Parse is refused in the aborted transaction: the statement is not taken for prepared.
            await assert.rejects(tx.query(text, [1]), /aborted/);
          }),
          /rolled back/,
        );
        assert.deepEqual((await sql.query(text, [1])).rows, [{ tenth: 10 }]);
        assert.equal(await prepared(), '1');
      });

      test('PGlite in memory: the service starts from the dump of pgliteInitialData, migrated; none elsewhere', TIMEOUT, async () => {
        const { PGlite } = await import('@electric-sql/pglite');
        const seeded = await PGlite.create({ loadDataDir: await emptyPgliteCluster() });
        await seeded.exec("CREATE TABLE seeded (mark text); INSERT INTO seeded VALUES ('from the dump')");
        const dump = await seeded.dumpDataDir('none');
        await seeded.close();
        const migrations = [{ id: 'test-0001', sql: 'CREATE TABLE migrated (step text)' }];
        const started = await openSqlClient(loadConfig({ DATA_DIR: 'memory://' }, { pgliteInitialData: dump }), migrations);
        try {
          assert.deepEqual((await started.query('SELECT mark FROM seeded')).rows, [{ mark: 'from the dump' }]);
          assert.deepEqual((await started.query("SELECT to_regclass('migrated') IS NOT NULL AS migrated")).rows, [{ migrated: true }]);
        } finally {
          await started.close();
        }
        // A data directory is the service's own: the dump is not put in it.
        const dir = await mkdtemp(join(tmpdir(), 'pop-ledger-test-'));
        const onDisk = await openSqlClient(loadConfig({ DATA_DIR: dir }, { pgliteInitialData: dump }), migrations);
        try {
          assert.deepEqual((await onDisk.query("SELECT to_regclass('seeded') IS NULL AS absent")).rows, [{ absent: true }]);
        } finally {
          await onDisk.close();
          await rm(dir, { recursive: true, force: true });
        }
      });

      test('PGlite: the empty cluster tests start from is kept in os.tmpdir() and holds no table', TIMEOUT, async () => {
        const dump = await emptyPgliteCluster();
        const stored = await readFile(await emptyPgliteClusterFile());
        assert.ok(Buffer.from(await dump.arrayBuffer()).equals(stored));
        const { PGlite } = await import('@electric-sql/pglite');
        const db = await PGlite.create({ loadDataDir: dump });
        try {
          assert.deepEqual((await db.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).rows, [{ n: 0 }]);
        } finally {
          await db.close();
        }
      });
    }

    if (database.name === 'postgres') {
      test('PostgreSQL: a checked-out connection killed by the server fails its query, not the process', TIMEOUT, async () => {
        await assert.rejects(
          sql.withConnection(async (conn) => {
            await conn.query('SELECT pg_terminate_backend(pg_backend_pid())').catch(() => undefined);
            await conn.query('SELECT 1');
          }),
        );
        assert.deepEqual((await sql.query('SELECT 1 AS one')).rows, [{ one: 1 }]);
      });

      test('PostgreSQL: the listener reconnects after its connection dies, and says so with an empty payload', TIMEOUT, async () => {
        const payloads: string[] = [];
        let wake!: () => void;
        let next = new Promise<void>((resolve) => (wake = resolve));
        const unlisten = await sql.listen('sql_client_reconnect', (payload) => {
          payloads.push(payload);
          wake();
        });
        await sql.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query = 'LISTEN sql_client_reconnect'",
        );
        await next;
        assert.deepEqual(payloads, ['']);
        next = new Promise<void>((resolve) => (wake = resolve));
        await sql.query("SELECT pg_notify('sql_client_reconnect', 'after')");
        await next;
        await unlisten();
        assert.deepEqual(payloads, ['', 'after']);
      });

      test('PostgreSQL: a statement with parameters is prepared once per connection, one without is not', TIMEOUT, async () => {
        const prepared = await sql.transaction(async (tx) => {
          for (const n of [1, 2]) assert.deepEqual((await tx.query('SELECT $1::int + 40 AS answer', [n])).rows, [{ answer: 40 + n }]);
          await tx.query('SELECT 1 + 41 AS unprepared');
          const { rows } = await tx.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements WHERE statement LIKE $1 ORDER BY statement', ['%+ 4%']);
          return rows.map(({ statement }) => statement);
        });
        assert.deepEqual(prepared, ['SELECT $1::int + 40 AS answer']);
      });

      test('PostgreSQL: a prepared statement whose table changed its columns is prepared again, not refused', TIMEOUT, async () => {
        await sql.exec('CREATE TABLE reshaped (a int); INSERT INTO reshaped VALUES (1)');
        const read = () => sql.query('SELECT * FROM reshaped WHERE a >= $1', [0]);
        // Every pooled connection prepares it (they run at once), then the table changes under them.
        await Promise.all(Array.from({ length: 8 }, read));
        await sql.exec('ALTER TABLE reshaped ADD COLUMN b text');
        for (let i = 0; i < 8; i++) assert.deepEqual((await read()).rows, [{ a: 1, b: null }]);
        const inTransaction = () => sql.transaction((tx) => tx.query('SELECT * FROM reshaped WHERE a > $1', [-1]));
        await Promise.all(Array.from({ length: 8 }, inTransaction));
        await sql.exec('ALTER TABLE reshaped ADD COLUMN c int');
        // In a transaction the refusal fails it (nothing can be retried there), once: the next one prepares afresh.
        await inTransaction().catch((error: { code?: string }) => assert.equal(error.code, '0A000'));
        assert.deepEqual((await inTransaction()).rows, [{ a: 1, b: null, c: null }]);
      });
    }
  });
}

for (const database of testDatabases()) {
  describe(`SqlClient on ${database.name}: prepared statements`, () => {
    test('are prepared again once their plan lifetime has passed, so their plans follow the tables as they grow', TIMEOUT, async () => {
      // One connection on the server, so the session asked is the one that ran the statement.
      const { sql, dispose } = await database.create({ planLifetimeMs: 1_000, poolSize: 1 });
      try {
        const marker = 'plan-lifetime-probe';
        const run = () => sql.query(`SELECT $1::int AS n /* ${marker} */`, [1]);
        // The marker is a parameter here, so this statement does not list itself.
        const preparedAt = async () =>
          (await sql.query<{ at: string }>('SELECT prepare_time::text AS at FROM pg_prepared_statements WHERE statement LIKE $1', [`%${marker}%`])).rows.map((row) => row.at);
        await run();
        const [first] = await preparedAt();
        assert.ok(first, 'the statement was prepared');
        await run();
        assert.deepEqual(await preparedAt(), [first], 'within its lifetime the statement is used as prepared');
        await new Promise((resolve) => setTimeout(resolve, 1_300));
        await run();
        const again = await preparedAt();
        assert.equal(again.length, 1);
        assert.ok(again[0] > first, `prepared again after its lifetime (${first} then ${again[0]})`);
      } finally {
        await dispose();
      }
    });
  });
}
