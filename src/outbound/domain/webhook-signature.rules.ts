import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Signature` of a webhook POST: `sha256=<hex HMAC-SHA256 of the exact body bytes with the subscription's secret>`. */
export function webhookSignature(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What a receiver does: recompute over the raw body and compare in constant time. */
export function verifyWebhookSignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(webhookSignature(secret, body));
  const actual = Buffer.from(header);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
