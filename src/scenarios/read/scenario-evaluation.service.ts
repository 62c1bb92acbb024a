import { Inject, Injectable } from '@nestjs/common';
import { popCapacityAnswer, PopCapacityAnswer, PopCommand, popDecider, PopState, popStatusAsOf, popStream, thresholdsOf } from '../../inventory';
import { popCostAt, PopCostFigures } from '../../cost';
import { WorkloadContext, workloadDecider, WorkloadState } from '../../residency';
import { ErrorCode } from '../../platform/api/errors/api-error.types';
import { toApiError } from '../../platform/api/errors/to-api-error.util';
import { cloneJson } from '../../kernel/json-clone.util';
import { CommandExecutor } from '../../platform/commands/command-executor.service';
import { StreamCache } from '../../platform/commands/stream-cache.util';
import { APP_CONFIG, AppConfig } from '../../platform/config/app.config';
import { ScenarioStepData } from '../domain/scenario.commands';
import { scenarioDecider } from '../domain/scenario.decider';
import { ScenarioStatus, StepOutcome } from '../domain/scenario.enums';
import { scenarioStream } from '../domain/scenario.streams';
import { PlannedStep, planStep } from './step-commands.util';

/** A scenario as recorded now: a copy, safe to keep while the stream moves on. */
export interface ScenarioSnapshot {
  scenarioId: string;
  name: string;
  description: string | null;
  status: ScenarioStatus;
  createdBy: string;
  createdAt: string;
  steps: readonly ScenarioStepData[];
  /** Revision of the scenario stream's last event. */
  revision: number;
}

export interface StepEvaluation {
  stepId: string;
  index: number;
  mutation: string;
  streamId: string;
  popId: string | null;
  effectiveAt: string;
  outcome: StepOutcome;
  /** Already in the log under the step's derived commandId (a commit, or part of one, recorded it). */
  recorded: boolean;
  code: ErrorCode | null;
  rule: string | null;
  reason: string | null;
}

export interface PopImpact {
  popId: string;
  code: string | null;
  before: PopCapacityAnswer | null;
  after: PopCapacityAnswer | null;
  costBefore: PopCostFigures | null;
  costAfter: PopCostFigures | null;
}

/** A step's command with the context its decision had, for a commit to record it under the same terms. */
export type CommittableStep = PlannedStep & { context?: WorkloadContext };

export interface ScenarioEvaluation {
  /** The instant steps without effectiveAt take effect at. */
  now: string;
  asOf: string;
  /** Every step accepted. */
  valid: boolean;
  steps: StepEvaluation[];
  /** Per PoP the steps name, in order of first mention; empty unless asked for. */
  impact: PopImpact[];
  planned: CommittableStep[];
}

interface PopSlot {
  popId: string;
  /** Revision of the PoP's stream the slot was read at. */
  revision: number;
  /** Evolved by the accepted steps (a copy of the recorded state; only its transitions when no step changes the PoP). */
  after: PopState;
  changed: boolean;
  before: PopCapacityAnswer | null;
  costBefore: PopCostFigures | null;
  code: string | null;
  /** The PoP's steps' outcomes by index, decided in this evaluation or taken from a kept one (then `after` is that one's, not to be evolved). */
  outcomes: Map<number, StepOutcomeFields>;
  kept: boolean;
}

type StepOutcomeFields = Pick<StepEvaluation, 'outcome' | 'code' | 'rule' | 'reason'>;

/**
 * A PoP's part of an evaluation, kept for the next one of the same scenario: valid while neither the scenario
 * (its revision) nor the PoP's stream (its revision) moved, as the deciders are functions of state and command.
 */
interface KeptPop {
  scenarioRevision: number;
  /** The PoP stream's revision (also the entry's weight, as in the executor's cache). */
  revision: number;
  after: PopState;
  changed: boolean;
  outcomes: Map<number, StepOutcomeFields>;
}

/** Budget of the kept PoPs, in their streams' events (some 430 bytes each in a state): about 40 MB at most. */
const MAX_KEPT_EVENTS = 100_000;

interface WorkloadSlot {
  state: WorkloadState;
}

/**
 * Evaluates a plan (docs/planning-scenarios.md, "Evaluation"): its steps in order on top of the log as
 * it is now, each decided exactly like the real command (the same deciders, over the whole timeline, on
 * the current state of its stream plus the earlier accepted steps' events, in memory); a rejected step
 * is reported and left out. Workload steps see the PoPs' status in the plan. Impact: capacity and cost
 * at `asOf` from the log alone and with the accepted steps, by the domain functions the read models
 * are proven equal to (`popCapacityAnswer`, `popCostAt`). Reads stream states through the executor
 * (under each stream's lock, copied); nothing is appended, no read model is touched.
 */
@Injectable()
export class ScenarioEvaluator {
  private readonly kept = new StreamCache<KeptPop>(MAX_KEPT_EVENTS);

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  load(scenarioId: string): Promise<ScenarioSnapshot | null> {
    return this.executor.inspect(scenarioDecider, scenarioStream(scenarioId), ({ state, revision }) => {
      if (state === null) return null;
      const { name, description, status, createdBy, createdAt, steps } = state;
      return { scenarioId: state.scenarioId, name, description, status, createdBy, createdAt, steps: steps.slice(), revision };
    });
  }

  async evaluate(scenario: ScenarioSnapshot, options: { asOf?: string; now?: string; impact?: boolean } = {}): Promise<ScenarioEvaluation> {
    const now = options.now ?? new Date().toISOString();
    const asOf = options.asOf ?? now;
    const impact = options.impact === true;
    const planned = scenario.steps.map((step, index) => planStep(scenario.scenarioId, step, index, now));
    const recorded = new Set<string>();
    const keepable = keepablePops(scenario, planned);
    const { pops, workloads } = await this.loadStreams(scenario, planned, recorded, impact ? asOf : null, keepable);

    const context: WorkloadContext = { popStatusAt: (popId, at) => popStatusAsOf(pops.get(popId)?.after ?? null, at) };
    const committable: CommittableStep[] = [];
    const steps = planned.map((step): StepEvaluation => {
      const { stepId, index, mutation, streamId, popId } = step;
      const done = { stepId, index, mutation, streamId, popId, effectiveAt: step.command.effectiveAt, recorded: false, code: null, rule: null, reason: null };
      if (recorded.has(step.commandId)) {
        committable.push(step.target === 'workload' ? { ...step, context: frozenContext(popId, pops.get(popId ?? '')?.after ?? null) } : step);
        return { ...done, outcome: 'ACCEPTED', recorded: true };
      }
      try {
        if (step.target === 'pop') {
          const slot = pops.get(step.command.data.popId) as PopSlot;
          const outcome = slot.kept ? (slot.outcomes.get(index) as StepOutcomeFields) : decidePopStep(step.command, index, slot);
          if (outcome.outcome === 'ACCEPTED') committable.push(step);
          return { ...done, ...outcome };
        }
        const slot = workloads.get(streamId) as WorkloadSlot;
        const events = workloadDecider.decide(step.command, slot.state, context);
        for (const event of events) slot.state = workloadDecider.evolve(slot.state, event);
        committable.push({ ...step, context: frozenContext(popId, pops.get(popId ?? '')?.after ?? null) });
        return { ...done, outcome: 'ACCEPTED' };
      } catch (error) {
        return { ...done, ...rejectionOf(error) };
      }
    });
    for (const slot of pops.values()) {
      if (!slot.kept && keepable.has(slot.popId)) {
        this.kept.set(keptKey(scenario.scenarioId, slot.popId), { scenarioRevision: scenario.revision, revision: slot.revision, after: slot.after, changed: slot.changed, outcomes: slot.outcomes });
      }
    }

    return {
      now,
      asOf,
      valid: steps.every((step) => step.outcome === 'ACCEPTED'),
      steps,
      impact: impact ? [...pops.values()].map((slot) => this.impactOf(slot, asOf)) : [],
      planned: committable,
    };
  }

  /**
   * Every stream the steps go to, and every PoP they name, read once (concurrently), each under its
   * lock: the steps' commandIds already accepted there, figures before the plan at `asOf` (when
   * asked), and a copy of the state to evolve.
   */
  private async loadStreams(scenario: ScenarioSnapshot, planned: PlannedStep[], recorded: Set<string>, asOf: string | null, keepable: ReadonlySet<string>) {
    const popIds = new Map<string, boolean>();
    const workloadStreams = new Set<string>();
    for (const step of planned) {
      if (step.popId !== null) popIds.set(step.popId, popIds.get(step.popId) === true || step.target === 'pop');
      if (step.target === 'workload') workloadStreams.add(step.streamId);
    }
    const commandIdsOf = (streamId: string) => planned.filter((step) => step.streamId === streamId).map((step) => step.commandId);
    const markRecorded = (streamId: string, accepted: (commandId: string) => boolean) => {
      for (const commandId of commandIdsOf(streamId)) if (accepted(commandId)) recorded.add(commandId);
    };
    const thresholds = thresholdsOf(this.config);

    const pops = new Map<string, PopSlot>();
    const workloads = new Map<string, WorkloadSlot>();
    const loads: Promise<void>[] = [];
    for (const [popId, changes] of popIds) {
      const streamId = popStream(popId);
      loads.push(
        this.executor.inspect(popDecider, streamId, ({ state, revision, accepted }) => {
          if (changes) markRecorded(streamId, accepted);
          const before = asOf !== null && state ? popCapacityAnswer(state, asOf, thresholds) : null;
          const costBefore = asOf !== null && state && before ? popCostAt(state, asOf, denominators(before)) : null;
          const code = state?.profile.code ?? null;
          const kept = keepable.has(popId) ? this.kept.get(keptKey(scenario.scenarioId, popId)) : undefined;
          if (kept && kept.revision === revision && kept.scenarioRevision === scenario.revision) {
            pops.set(popId, { popId, revision, after: kept.after, changed: kept.changed, before, costBefore, code, outcomes: kept.outcomes, kept: true });
            return;
          }
          const after = changes ? cloneJson(state) : statusOnly(state);
          pops.set(popId, { popId, revision, after, changed: false, before, costBefore, code, outcomes: new Map(), kept: false });
        }, changes ? commandIdsOf(streamId) : []),
      );
    }
    for (const streamId of workloadStreams) {
      loads.push(
        this.executor.inspect(workloadDecider, streamId, ({ state, accepted }) => {
          markRecorded(streamId, accepted);
          workloads.set(streamId, { state: cloneJson(state) });
        }, commandIdsOf(streamId)),
      );
    }
    await Promise.all(loads);
    // In order of first mention (the loads finished in any order).
    return { pops: new Map([...popIds.keys()].map((popId) => [popId, pops.get(popId) as PopSlot])), workloads };
  }

  private impactOf(slot: PopSlot, asOf: string): PopImpact {
    const { popId, before, costBefore } = slot;
    if (!slot.changed) return { popId, code: slot.code, before, after: before, costBefore, costAfter: costBefore };
    const after = slot.after ? popCapacityAnswer(slot.after, asOf, thresholdsOf(this.config)) : null;
    const costAfter = slot.after && after ? popCostAt(slot.after, asOf, denominators(after)) : null;
    return { popId, code: slot.after?.profile.code ?? slot.code, before, after, costBefore, costAfter };
  }
}

const ACCEPTED: StepOutcomeFields = { outcome: 'ACCEPTED', code: null, rule: null, reason: null };

/** An inventory step decided on its PoP's state in the plan (evolved when accepted), its outcome noted in the slot. */
function decidePopStep(command: PopCommand, index: number, slot: PopSlot): StepOutcomeFields {
  let outcome = ACCEPTED;
  try {
    const events = popDecider.decide(command, slot.after);
    for (const event of events) slot.after = popDecider.evolve(slot.after, event);
    slot.changed = true;
  } catch (error) {
    outcome = rejectionOf(error);
  }
  slot.outcomes.set(index, outcome);
  return outcome;
}

/** A step's rejection as the real command would answer it; anything else (a bug) is thrown on. */
function rejectionOf(error: unknown): StepOutcomeFields {
  const rejection = toApiError(error);
  if (rejection.code === 'INTERNAL_SERVER_ERROR') throw error;
  const rule = typeof rejection.extensions.rule === 'string' ? rejection.extensions.rule : null;
  return { outcome: 'REJECTED', code: rejection.code, rule, reason: rejection.message };
}

/**
 * The PoPs whose part of the evaluation can be kept for the next one: each of their steps has its own
 * effectiveAt (not the evaluation's time), and all come before the plan's first workload step (which reads
 * the PoPs' status as the steps before it leave it, where a kept PoP has only its last state).
 */
function keepablePops(scenario: ScenarioSnapshot, planned: readonly PlannedStep[]): Set<string> {
  const firstWorkload = planned.findIndex((step) => step.target === 'workload');
  const keepable = new Set<string>();
  const not = new Set<string>();
  for (const step of planned) {
    if (step.target !== 'pop') continue;
    const own = typeof scenario.steps[step.index].input.effectiveAt === 'string' && (firstWorkload < 0 || step.index < firstWorkload);
    if (own && !not.has(step.command.data.popId)) keepable.add(step.command.data.popId);
    else {
      not.add(step.command.data.popId);
      keepable.delete(step.command.data.popId);
    }
  }
  return keepable;
}

function keptKey(scenarioId: string, popId: string): string {
  return JSON.stringify([scenarioId, popId]);
}

function denominators(capacity: PopCapacityAnswer) {
  return { usableKw: capacity.power.usableKw, totalU: capacity.space.totalU, capacityMbps: capacity.network.capacityMbps };
}

/** What a workload decision reads of a PoP, its lifecycle, copied (the executor evolves its state in place). */
function statusOnly(state: PopState): PopState {
  return state && { ...state, transitions: state.transitions.slice() };
}

/** The PoP status a workload step saw in the plan, fixed, for its commit. */
function frozenContext(popId: string | null, state: PopState): WorkloadContext {
  const pop = statusOnly(state);
  return { popStatusAt: (id, at) => (id === popId ? popStatusAsOf(pop, at) : null) };
}
