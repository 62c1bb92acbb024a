/**
 * Errors worth retrying rather than blaming on an event: lost connections, serialization failures
 * and deadlocks, a server shutting down or out of resources.
 */
const TRANSIENT_SQLSTATE = /^(08|40|53|57P0)/;
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);
const CONNECTION_LOST = /connection terminated|connection error|not queryable|client was closed/i;

export function isTransientError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_NETWORK.has(code))) return true;
  return error instanceof Error && CONNECTION_LOST.test(error.message);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
