import assert from 'node:assert/strict';
import { InvalidInputError, NotFoundError, RuleCode, RuleViolationError } from '../../src/kernel/domain.errors';
import { Decider } from '../../src/kernel/decider.types';

/**
 * given(events).when(command).then(expectedEvents) for a pure decider, Emmett style.
 * Every run also checks what the application relies on: decide leaves the state untouched,
 * decides the same on the state's JSON copy (snapshots), and its events evolve without error.
 */
export function deciderSpec<C, S, E, X = void>(decider: Decider<C, S, E, X>, context?: X) {
  return {
    given(events: E[]) {
      return {
        when(command: C) {
          const run = (): E[] => {
            let state = decider.initialState();
            for (const event of events) state = decider.evolve(state, structuredClone(event));
            const snapshot = JSON.stringify(state);
            const fromSnapshot = attempt(() => decider.decide(command, JSON.parse(snapshot) as S, context as X));
            const live = attempt(() => decider.decide(command, state, context as X));
            assert.equal(JSON.stringify(state), snapshot, 'decide mutated the state');
            assert.deepEqual(describe(fromSnapshot), describe(live), 'a snapshot of the state decides differently');
            if ('error' in live) throw live.error;
            for (const event of live.events) state = decider.evolve(state, structuredClone(event));
            return live.events;
          };
          return {
            then(expected: E[]): void {
              assert.deepEqual(run(), expected);
            },
            thenThrows(rule: RuleCode, message?: RegExp | string): void {
              assert.throws(run, (error: unknown) => {
                assert.ok(error instanceof RuleViolationError, `expected RuleViolationError ${rule}, got ${String(error)}`);
                assert.equal(error.rule, rule, error.message);
                matches(error.message, message);
                return true;
              });
            },
            thenNotFound(message?: RegExp | string): void {
              assert.throws(run, (error: unknown) => {
                assert.ok(error instanceof NotFoundError, `expected NotFoundError, got ${String(error)}`);
                matches(error.message, message);
                return true;
              });
            },
            thenInvalidInput(field: string): void {
              assert.throws(run, (error: unknown) => {
                assert.ok(error instanceof InvalidInputError, `expected InvalidInputError, got ${String(error)}`);
                assert.equal(error.field, field, error.message);
                return true;
              });
            },
          };
        },
      };
    },
  };
}

type Outcome<E> = { events: E[] } | { error: unknown };

function attempt<E>(decide: () => E[]): Outcome<E> {
  try {
    return { events: decide() };
  } catch (error) {
    return { error };
  }
}

function describe<E>(outcome: Outcome<E>): unknown {
  return 'events' in outcome ? outcome.events : String(outcome.error);
}

function matches(actual: string, expected: RegExp | string | undefined): void {
  if (expected === undefined) return;
  if (typeof expected === 'string') assert.equal(actual, expected);
  else assert.match(actual, expected);
}
