import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Role } from '../../src/platform/api/auth/roles.types';
import { KEYS, TestApp } from '../support/test-app';

/** The repository root, from src or from a compiled dist-* folder alike. */
export const ROOT = resolve(__dirname, '../../..');
export const SAMPLES = resolve(ROOT, 'examples/procurement');

export interface Answer {
  status: number;
  contentType: string;
  body: any;
}

/** POST /integrations/procurement/records as `role` (default procurement; null: no key) with a JSON body (or raw text). */
export async function postRecords(
  url: string,
  body: unknown,
  options: { role?: Role | null; headers?: Record<string, string>; raw?: string; query?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.role !== null && !('authorization' in headers)) headers.authorization = `Bearer ${KEYS[options.role ?? 'procurement']}`;
  const response = await fetch(`${url}/integrations/procurement/records${options.query ?? ''}`, { method: 'POST', headers, body: options.raw ?? JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

/** Registers PoP fra1 with a lease and racks FRA1-R01/R02, exactly as examples/procurement/setup.graphql does. */
export async function setUpSamplePop(app: TestApp): Promise<void> {
  const { errors } = await app.gql(await readFile(resolve(SAMPLES, 'setup.graphql'), 'utf8'));
  assert.equal(errors, undefined);
}

export interface HistoryEvent {
  eventId: string;
  type: string;
  source: string;
  actor: string;
  commandId: string;
  correlationId: string;
  effectiveAt: string;
  data: Record<string, unknown>;
}

/** The stream's events (up to 500) and its total count, through the GraphQL `history` query. */
export async function history(app: TestApp, streamId: string): Promise<{ totalCount: number; events: HistoryEvent[] }> {
  const { data, errors } = await app.gql(
    `query ($streamId: ID!) { history(streamId: $streamId, first: 500) { totalCount edges { node {
      eventId type source actor commandId correlationId effectiveAt data } } } }`,
    { streamId },
  );
  assert.equal(errors, undefined);
  return { totalCount: data.history.totalCount, events: data.history.edges.map((e: { node: HistoryEvent }) => e.node) };
}

export async function registerPop(app: TestApp, popId: string): Promise<void> {
  const { errors } = await app.gql(
    `mutation ($input: RegisterPopInput!) { registerPop(input: $input) { eventIds } }`,
    { input: { popId, code: popId.toUpperCase(), name: popId, kind: 'PHYSICAL', operatorModel: 'COLOCATION', countryCode: 'NL', effectiveAt: '2025-01-01T00:00:00Z' } },
  );
  assert.equal(errors, undefined);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
