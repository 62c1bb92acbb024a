import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stepCommandId } from '../../src/scenarios/domain/scenario.streams';
import { graphql, mutationDocument, waitForProjections } from '../support/service-client';
import { slotPopBuilder } from '../support/slot-pops';
import { appendToStorage } from '../support/storage-store';
import { globalEventCount, KEYS, printTable, sized, startServiceUnderTest, streamHistory } from './reliability-support';

const POPS = sized(60, 100);
const STEPS_PER_POP = 8;
const COMMIT = 'mutation($id: ID!) { commitScenario(input: { scenarioId: $id }) { committed projected results { stepId status eventIds } } }';

/**
 * docs/planning-scenarios.md, "Committing": a commit killed midway (SIGKILL as soon as its first steps
 * reach the log), the service restarted, the commit sent again: every step is recorded exactly once,
 * under its derived commandId, and the scenario ends COMMITTED. Whether the kill caught the commit
 * halfway depends on the machine; the table says how many steps it had recorded, and the invariants
 * hold either way.
 */
describe('reliability: SIGKILL during commitScenario', { timeout: sized(300_000, 900_000) }, () => {
  it('completes the commit on the next try, every step recorded exactly once', async () => {
    const pops = Array.from({ length: POPS }, (_, i) => `sc${i + 1}`);
    const liveAt = Date.now() - 60 * 86_400_000;
    const sut = await startServiceUnderTest('scenario_crash', (storage) => appendToStorage(storage, pops.map((popId) => slotPopBuilder(popId, 1, liveAt).toStream())));
    try {
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up with the prepared log');
      const gql = async (query: string, variables?: Record<string, unknown>) => {
        const answer = await graphql(sut.url, KEYS.planner, query, variables);
        assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
        return answer.data as Record<string, any>;
      };
      await gql(mutationDocument('createScenario', 'revision'), { input: { scenarioId: 'big', name: 'Big build-out' } });
      const at = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const steps = pops.flatMap((popId) =>
        Array.from({ length: STEPS_PER_POP }, (_, k) => ({ stepId: `${popId}-${k}`, installDevice: { popId, deviceId: `big-${k}`, rackId: 'r1', role: 'SERVER', positionU: 1 + k * 2, heightU: 2, powerDrawWatts: 200, effectiveAt: at } })),
      );
      for (let i = 0; i < steps.length; i += 500) await gql(mutationDocument('addScenarioSteps', 'revision'), { input: { scenarioId: 'big', steps: steps.slice(i, i + 500) } });
      const base = await globalEventCount(sut);

      // The commit, and a kill as soon as the log grows.
      const commit = graphql(sut.url, KEYS.planner, COMMIT, { id: 'big' }).catch(() => null);
      let seen = base;
      while (seen === base) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        seen = await globalEventCount(sut).catch(() => base);
      }
      await sut.service.kill();
      const answered = await commit;

      await sut.restart();
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up after the restart');
      const evaluated = await gql('{ scenario(scenarioId: "big") { status valid steps { stepId outcome recorded } } }');
      const recordedBefore = evaluated.scenario.steps.filter((step: { recorded: boolean }) => step.recorded).length;
      assert.equal(evaluated.scenario.valid, true);

      const again = await gql(COMMIT, { id: 'big' });
      assert.equal(again.commitScenario.committed, true);
      const statuses = again.commitScenario.results.map((r: { status: string }) => r.status);
      assert.equal(statuses.filter((s: string) => s === 'duplicate').length, recordedBefore);
      assert.equal(statuses.filter((s: string) => s === 'accepted').length, steps.length - recordedBefore);

      let recorded = 0;
      for (const popId of pops) {
        const events = (await streamHistory(sut.url, `pop-${popId}`)).filter((e) => e.type === 'DeviceInstalled');
        for (let k = 0; k < STEPS_PER_POP; k++) {
          const under = events.filter((e) => e.commandId === stepCommandId('big', `${popId}-${k}`));
          assert.equal(under.length, 1, `step ${popId}-${k} recorded ${under.length} times`);
          recorded++;
        }
        assert.equal(events.length, STEPS_PER_POP, `${popId}: ${events.length} devices`);
      }
      const final = await gql('{ scenario(scenarioId: "big") { status steps { recorded } } }');
      assert.equal(final.scenario.status, 'COMMITTED');
      assert.ok(final.scenario.steps.every((step: { recorded: boolean }) => step.recorded));
      printTable(`SIGKILL during a commit of ${steps.length} steps over ${POPS} PoPs (${sut.storage.kind})`, ['events seen at the kill', 'first commit answered', 'recorded before the retry', 'recorded by the retry', 'recorded once each'], [
        [seen - base, answered?.data ? 'yes' : 'no', recordedBefore, steps.length - recordedBefore, recorded],
      ]);
    } finally {
      await sut.close();
    }
  });
});
