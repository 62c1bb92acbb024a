import { CommandInput } from '../api/command.input';
import { Principal } from '../api/auth/roles.types';
import { EventSource } from '../event-store/event-store.port';
import { CommandEnvelope } from './command-envelope.types';

/** What every domain command is: a type, its business data, and its effective time. */
export type CommandShape = { type: string; data: object; effectiveAt: string };

/** The member of the command union `C` whose type is `T`. */
export type CommandOf<C extends CommandShape, T extends C['type']> = Extract<C, { type: T }>;

/**
 * What a mutation input is: a CommandInput, or an input without its envelope fields (API keys: created
 * and revoked now, never replayed).
 */
export type MutationInput = Partial<CommandInput> | object;

/** The business fields of a mutation input: everything but the envelope fields of CommandInput. */
export type InputData<I> = Omit<I, keyof CommandInput>;

/**
 * `I` when its business fields are exactly the fields of the command data `D` (none missing, none
 * extra) with types that fit; `never` otherwise, so a mutation that sends the wrong input for its
 * command does not compile. Structural assignability alone is not enough: RemoveRack's input
 * ({ popId, rackId }) would fit InstallRack's data, whose other fields are optional.
 */
export type InputFor<D, I> = [Exclude<keyof InputData<I>, keyof D> | Exclude<keyof D, keyof InputData<I>>] extends [never]
  ? InputData<I> extends D
    ? I
    : never
  : never;

export interface DomainCommandAndEnvelope<C> {
  command: C;
  envelope: CommandEnvelope;
}

/**
 * Splits a validated mutation input into the domain command (its business fields, with the
 * effective time; default now) and the envelope (who, from where, idempotency and concurrency).
 */
function split<C extends CommandShape>(type: C['type'], input: MutationInput, principal: Principal, source: EventSource, correlationId?: string): DomainCommandAndEnvelope<C> {
  const { commandId, effectiveAt, expectedRevision, dryRun, ...data } = input as Partial<CommandInput>;
  // The one place a command is assembled from an input; `commandsOf` has checked their fields match.
  const command = { type, data: stripUndefined(data), effectiveAt: effectiveAt ?? new Date().toISOString() } as C;
  const envelope: CommandEnvelope = { principal, source, commandId, effectiveAt, expectedRevision, correlationId };
  if (dryRun) envelope.dryRun = true;
  return { command, envelope };
}

/**
 * The typed way from mutation inputs to the commands of one aggregate (union `C`):
 * `commandsOf<PopCommand>().from('InstallRack', input, principal, 'graphql')` compiles only when
 * `input`'s business fields are exactly InstallRack's data.
 */
export function commandsOf<C extends CommandShape>() {
  return {
    from<T extends C['type'], I extends MutationInput>(
      type: T,
      input: I & InputFor<CommandOf<C, T>['data'], I>,
      principal: Principal,
      source: EventSource,
      correlationId?: string,
    ): DomainCommandAndEnvelope<CommandOf<C, T>> {
      return split<CommandOf<C, T>>(type, input, principal, source, correlationId);
    },
    /**
     * For inputs picked at run time from a table whose entries were checked with `InputFor`
     * (the procurement record kinds): the pairing is proven there, not at this call.
     */
    fromChecked(type: C['type'], input: CommandInput, principal: Principal, source: EventSource, correlationId?: string): DomainCommandAndEnvelope<C> {
      return split<C>(type, input, principal, source, correlationId);
    },
  };
}

/** Inputs are class instances with unset optional fields; events store plain JSON without them. */
export function plainData(value: object): Record<string, unknown> {
  return stripUndefined(value);
}

function stripUndefined(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    out[key] = typeof v === 'object' && !Array.isArray(v) ? stripUndefined(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'object' && x ? stripUndefined(x) : x)) : v;
  }
  return out;
}
