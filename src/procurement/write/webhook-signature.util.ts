import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-signature';

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the value of the X-Signature header. */
export function signBody(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Checks an X-Signature header against the raw body in constant time (both digests are 32 bytes). */
export function hasValidSignature(body: Buffer | undefined, header: unknown, secret: string): boolean {
  if (body === undefined || typeof header !== 'string') return false;
  const match = SIGNATURE.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(match[1], 'hex'), expected);
}
