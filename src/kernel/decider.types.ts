/**
 * Emmett-style decider types. `effectiveAt` is business time (ISO 8601 with milliseconds and Z):
 * when the fact is true in the world, which may be in the past or the future.
 */
export type DomainEvent<T extends string, D> = { type: T; data: D; effectiveAt: string };

export type DomainCommand<T extends string, D> = { type: T; data: D; effectiveAt: string };

/**
 * `decide` is pure and never mutates `state`. `evolve` may update `state` in place and return it
 * (the application keeps one state per stream and feeds it each new event); the first event of a
 * stream returns a new object. States are plain JSON values, so they can be snapshotted.
 * `X` is read-only context from other streams that a decision needs (e.g. a PoP's status).
 */
export interface Decider<C, S, E, X = void> {
  decide(command: C, state: S, context: X): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

/** Event data: every input field present, optional ones as null unless a default applies. */
export type Filled<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };
