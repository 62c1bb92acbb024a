import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PopCommand } from '../../../src/inventory/domain/pop.commands';
import { popDecider } from '../../../src/inventory/domain/pop.decider';
import type { PopState } from '../../../src/inventory/domain/pop.state';
import { liveBytes } from '../../support/live-bytes';
import { SLOT_RACK_U, slotPopBuilder } from '../../support/slot-pops';

const START = Date.parse('2027-01-01T00:00:00Z');

/** A slot PoP after `commands` commands of the soak (test/support/command-mix.ts): 3 in 4 install a 1 U server, 1 in 4 reserve 1 Mbps from then on. */
function soakedPop(popId: string, commands: number): { state: PopState; events: number } {
  let state = slotPopBuilder(popId, Math.ceil(commands / SLOT_RACK_U) + 1, START - 86_400_000).state;
  let events = 0;
  let slot = 0;
  for (let i = 0; i < commands; i++) {
    const effectiveAt = new Date(START + i * 1_000).toISOString();
    const command =
      i % 4 === 3
        ? { type: 'ReserveCapacity', effectiveAt, data: { popId, reservationId: `soak-${i}`, resource: 'BANDWIDTH_MBPS', amount: 1, from: effectiveAt } }
        : { type: 'InstallDevice', effectiveAt, data: { popId, deviceId: `soak-${i}`, rackId: `r${Math.floor(slot / SLOT_RACK_U) + 1}`, role: 'SERVER', positionU: (slot++ % SLOT_RACK_U) + 1, heightU: 1, powerDrawWatts: 50 } };
    for (const event of popDecider.decide(command as unknown as PopCommand, state, undefined)) {
      state = popDecider.evolve(state, event);
      events++;
    }
  }
  return { state, events };
}

/**
 * What the command executor keeps per event of a cached PoP stream (docs/operations.md, "Long
 * histories and the soak"): the state grows with every event (timeline points, a record), and the
 * cache holds up to a million events of them, so a few bytes more per event are hundreds of MB.
 */
describe('PoP state memory', () => {
  it('keeps at most 270 bytes per event of the soak load', async () => {
    // The same load first compiles the code, which is not the state's: after a shorter one, the compiler threads
    // still add optimized code during the measured load, by a varying amount (± 30 bytes per event).
    soakedPop('warm', 12_000);
    const before = await liveBytes();
    const { state, events } = soakedPop('p1', 12_000);
    const bytesEach = ((await liveBytes()) - before) / events;
    assert.equal(events, 12_000);
    assert.ok(state !== null && state.timeline.size > events, 'a PoP timeline point per command');
    // About 230: devices and reservations by column with their ids (about 110), the timeline points about 100, the
    // racks the rest (530 while each timeline point was an array of its own, 430 while a block kept every metric of
    // every point, 310-320 while each device and reservation was an object in an id-keyed dictionary).
    assert.ok(bytesEach <= 270, `${bytesEach.toFixed(0)} bytes per event`);
  });
});
