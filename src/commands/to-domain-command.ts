import { Principal } from '../auth/roles';
import { EventSource } from '../event-store/event-store.port';
import { CommandInput } from '../graphql/inputs/command.input';
import { CommandEnvelope } from './command-envelope';

/**
 * Splits a validated mutation input into the domain command (its business fields, with the
 * effective time; default now) and the envelope (who, from where, idempotency and concurrency).
 */
export function toDomainCommand<T extends string, I extends CommandInput>(
  type: T,
  input: I,
  principal: Principal,
  source: EventSource,
  correlationId?: string,
): { command: { type: T; data: Omit<I, keyof CommandInput>; effectiveAt: string }; envelope: CommandEnvelope } {
  const { commandId, effectiveAt, expectedRevision, ...data } = input;
  return {
    command: { type, data: stripUndefined(data) as Omit<I, keyof CommandInput>, effectiveAt: effectiveAt ?? new Date().toISOString() },
    envelope: { principal, source, commandId, effectiveAt, expectedRevision, correlationId },
  };
}

/** Inputs are class instances with unset optional fields; events store plain JSON without them. */
function stripUndefined(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    out[key] = typeof v === 'object' && !Array.isArray(v) ? stripUndefined(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x ? stripUndefined(x) : x)) : v;
  }
  return out;
}
