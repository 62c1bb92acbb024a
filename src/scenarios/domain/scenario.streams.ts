import { createHash } from 'node:crypto';

/** Scenario stream names (docs/domain.md, "Streams and time"); scenario ids are client-supplied. */
export const SCENARIO_STREAM_PREFIX = 'scenario-';
export const scenarioStream = (scenarioId: string): string => `${SCENARIO_STREAM_PREFIX}${scenarioId}`;

/**
 * The commandId a step is recorded under when its scenario is committed: derived from scenario and
 * step, so that committing again recognises a step already recorded (it answers `duplicate`).
 * `scenario:` + 40 hex digits of SHA-256: 49 characters of the ID alphabet.
 */
export function stepCommandId(scenarioId: string, stepId: string): string {
  return `scenario:${createHash('sha256').update(`${scenarioId}\u0000${stepId}`, 'utf8').digest('hex').slice(0, 40)}`;
}
