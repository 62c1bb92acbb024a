import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tracesUrl } from '../../../src/platform/observability/tracing-sdk.factory';
import { linksTo } from '../../../src/platform/observability/tracing.util';

describe('tracing helpers', () => {
  it('sends spans to <endpoint>/v1/traces', () => {
    assert.equal(tracesUrl('http://collector:4318'), 'http://collector:4318/v1/traces');
    assert.equal(tracesUrl('https://otel.example/base/'), 'https://otel.example/base/v1/traces');
  });

  it('links a batch to each distinct, well-formed traceparent, at most `max`', () => {
    const a = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const b = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b8-01';
    const c = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
    const { links, total } = linksTo([a, undefined, a, 'garbage', b, 42, c, '00-00000000000000000000000000000000-0000000000000000-01'], 2);
    assert.deepEqual(links.map((link) => [link.context.traceId, link.context.spanId]), [
      ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'],
      ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b8'],
    ]);
    assert.equal(total, 3);
  });
});
