import { MetricsService } from '../../src/platform/observability/metrics.service';
import type { TestApp } from './test-app';

/** A GraphQL answer as sent: what kept answer bytes must reproduce byte for byte. */
export interface RawAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

/** A GraphQL request's raw answer (status, content type and the body's text as sent). */
export async function rawAnswer(url: string, secret: string, request: { query: string; variables: Record<string, unknown>; operationName?: string }): Promise<RawAnswer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify(request),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

/** Answers sent from kept bytes and answers written and kept, so far (popledger_kept_answer_bytes_total). */
export async function keptAnswerOutcomes(app: TestApp): Promise<{ sent: number; kept: number }> {
  const metric = await app.app.get(MetricsService).registry.getSingleMetric('popledger_kept_answer_bytes_total')?.get();
  const count = (outcome: string) => metric?.values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
  return { sent: count('sent'), kept: count('kept') };
}
