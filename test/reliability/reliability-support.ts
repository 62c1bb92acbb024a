import { graphql, type GraphqlAnswer } from '../support/service-client';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { createServiceStorage, withClient, type ServiceStorage } from '../support/service-storage';
import { API_KEYS, KEYS } from '../support/test-app';

/**
 * Shared by the reliability tests. They run the service as a separate process (`node <out>/src/main.js`)
 * on PostgreSQL when DATABASE_URL is set (a fresh schema), otherwise on PGlite (a temporary DATA_DIR).
 * RELIABILITY=full runs the long versions by hand; anything else (CI sets RELIABILITY=ci) the bounded ones.
 */
export const LEVEL: 'ci' | 'full' = process.env.RELIABILITY === 'full' ? 'full' : 'ci';

export function sized<T>(ci: T, full: T): T {
  return LEVEL === 'full' ? full : ci;
}

export interface ServiceUnderTest {
  service: ServiceProcess;
  storage: ServiceStorage;
  url: string;
  /** Stops the service (if still running) and starts it again on the same storage. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh storage, optionally prepared (e.g. a log appended in bulk), then the service started on it. */
export async function startServiceUnderTest(
  label: string,
  prepare?: (storage: ServiceStorage) => Promise<void>,
  env: Record<string, string> = {},
): Promise<ServiceUnderTest> {
  const storage = await createServiceStorage(process.env.DATABASE_URL ? 'postgres' : 'pglite', process.env.DATABASE_URL, `rel_${label}`);
  // Load tests send far more than the default 100 requests per second with one key.
  const start = () => startServiceProcess({ env: { ...storage.env, API_KEYS, RATE_LIMIT_PER_SECOND: '0', ...env } });
  let service: ServiceProcess;
  try {
    await prepare?.(storage);
    service = await start();
  } catch (error) {
    await storage.dispose();
    throw error;
  }
  const context: ServiceUnderTest = {
    service,
    storage,
    url: service.url,
    async restart() {
      await context.service.stop();
      context.service = await start();
      context.url = context.service.url;
    },
    async close() {
      await context.service.stop();
      await storage.dispose();
    },
  };
  return context;
}

export interface HistoryEvent {
  eventId: string;
  type: string;
  revision: number;
  commandId: string;
  data: Record<string, any>;
}

interface HistoryPage {
  history: { edges: Array<{ node: HistoryEvent }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** Every event of a stream, through `history` (paged). */
export async function streamHistory(url: string, streamId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: GraphqlAnswer<HistoryPage> = await graphql<HistoryPage>(
      url,
      KEYS.admin,
      'query($s: ID!, $after: String) { history(streamId: $s, first: 500, after: $after) { edges { node { eventId type revision commandId data } } pageInfo { hasNextPage endCursor } } }',
      { s: streamId, after },
    );
    if (!answer.data) throw new Error(`history(${streamId}): ${JSON.stringify(answer.errors)}`);
    events.push(...answer.data.history.edges.map((e) => e.node));
    if (!answer.data.history.pageInfo.hasNextPage) return events;
    after = answer.data.history.pageInfo.endCursor;
  }
}

/**
 * Events in the global log: counted in the schema on PostgreSQL; on PGlite (whose directory the
 * running service holds) from the service's /metrics counter of appended events.
 */
export async function globalEventCount(sut: ServiceUnderTest): Promise<number> {
  const { schema } = sut.storage;
  if (schema && process.env.DATABASE_URL) {
    const rows = await withClient(process.env.DATABASE_URL, (c) => c.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".es_events`));
    return Number(rows.rows[0].n);
  }
  return eventsAppended(sut.url);
}

async function eventsAppended(url: string): Promise<number> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${KEYS.admin}` } });
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('popledger_events_appended_total'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** Prints a small aligned table: the figures of a reliability case. */
export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  console.log([`\n${title}`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n'));
}

export { KEYS };
export { memorySample, type MemorySample } from '../support/soak-load';
