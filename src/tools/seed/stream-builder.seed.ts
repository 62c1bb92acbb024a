import { CURRENT_SCHEMA_VERSION } from '../../platform/event-store/event.upcasters';
import type { EventSource, NewEvent } from '../../platform/event-store/event-store.port';
import type { Decider } from '../../kernel/decider.types';
import type { Prng } from './prng.util';

/** A command the decider accepted, as a client would send it (its mutation's input is `data` + these). */
export interface AcceptedCommand {
  type: string;
  data: object;
  effectiveAt: string;
  commandId: string;
}

/** One stream's events, ready to append, and the commands that produced them (for the GraphQL path). */
export interface SeedStream {
  streamId: string;
  events: NewEvent[];
  commands: AcceptedCommand[];
}

export interface Provenance {
  actor: string;
  source: EventSource;
}

type Command = { type: string; data: object; effectiveAt: string };
type Event = { type: string; data: object; effectiveAt: string };

/** Domain errors mean "this candidate breaks a rule": the generator drops it, like a client would. */
const DOMAIN_ERRORS = new Set(['RuleViolationError', 'NotFoundError', 'InvalidInputError']);

/**
 * Runs generated commands through a stream's pure decider in memory, exactly as the command path
 * does (decide on the current state, then evolve with the decided events), so that every event it
 * keeps is one the service would have appended. Rejected candidates are counted by rule and dropped.
 */
export class StreamBuilder<C extends Command, S, E extends Event, X = void> {
  state: S;
  readonly events: NewEvent[] = [];
  readonly commands: AcceptedCommand[] = [];

  constructor(
    readonly streamId: string,
    private readonly decider: Decider<C, S, E, X>,
    private readonly ids: Prng,
    private readonly provenance: Provenance,
    private readonly rejections: Map<string, number>,
  ) {
    this.state = decider.initialState();
  }

  /** Decides and applies `command`; false (and nothing recorded) when the domain rejects it. */
  tryDecide(command: C, context: X): boolean {
    let decided: E[];
    try {
      decided = this.decider.decide(command, this.state, context);
    } catch (error) {
      const name = (error as Error).name;
      if (!DOMAIN_ERRORS.has(name)) throw error;
      const key = (error as { rule?: string }).rule ?? name;
      this.rejections.set(key, (this.rejections.get(key) ?? 0) + 1);
      return false;
    }
    const commandId = this.ids.uuid();
    for (const event of decided) {
      this.state = this.decider.evolve(this.state, event);
      this.events.push({
        eventId: this.ids.uuid(),
        type: event.type,
        data: event.data as Record<string, unknown>,
        metadata: {
          effectiveAt: event.effectiveAt,
          actor: this.provenance.actor,
          source: this.provenance.source,
          commandId,
          correlationId: commandId,
          schemaVersion: CURRENT_SCHEMA_VERSION,
        },
      });
    }
    this.commands.push({ type: command.type, data: command.data, effectiveAt: command.effectiveAt, commandId });
    return true;
  }

  toStream(): SeedStream {
    return { streamId: this.streamId, events: this.events, commands: this.commands };
  }
}
