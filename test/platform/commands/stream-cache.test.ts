import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AcceptedCommands, RECENT_COMMANDS } from '../../../src/platform/commands/accepted-commands.util';
import { StreamCache } from '../../../src/platform/commands/stream-cache.util';
import { liveBytes } from '../../support/live-bytes';

describe('StreamCache', () => {
  it('keeps the most recently used streams within a budget of events, whatever their number', () => {
    // Each stream weighs its events plus 16.
    const cache = new StreamCache<{ revision: number }>(100);
    cache.set('a', { revision: 9 }); // 26
    cache.set('b', { revision: 29 }); // 46
    cache.set('c', { revision: 3 }); // 20
    assert.equal(cache.weight, 92);
    cache.get('a');
    cache.set('a', cache.get('a') as { revision: number }); // used again: now the most recent
    cache.set('d', { revision: 0 }); // 17: over budget, b (least recently used) goes
    assert.deepEqual(['a', 'b', 'c', 'd'].map((key) => cache.has(key)), [true, false, true, true]);
    assert.equal(cache.weight, 63);
    // A stream that grew is weighed again when set; the one just set is never evicted, even alone over budget.
    const big = { revision: 0 };
    cache.set('big', big);
    big.revision = 199;
    cache.set('big', big);
    assert.deepEqual(['a', 'c', 'd', 'big'].map((key) => cache.has(key)), [false, false, false, true]);
    assert.equal(cache.weight, 216);
    cache.delete('big', { revision: 199 }); // another value: left alone
    assert.ok(cache.has('big'));
    cache.delete('big', big);
    assert.equal(cache.weight, 0);
  });
});

describe('AcceptedCommands', () => {
  it('keeps the last commands whole and the older ones as hashes that answer "maybe"', () => {
    const commands = new AcceptedCommands();
    commands.record('c0', 'e0', 0, 'p0');
    commands.record('c0', 'e1', 1, 'p1'); // a second event of the same command
    for (let i = 1; i <= RECENT_COMMANDS; i++) commands.record(`c${i}`, `e${i + 1}`, i + 1, `p${i + 1}`);
    assert.equal(commands.lookup('c0'), 'maybe');
    assert.deepEqual(commands.lookup('c1'), { eventIds: ['e2'], revision: 2, position: 'p2' });
    assert.deepEqual(commands.lookup(`c${RECENT_COMMANDS}`), { eventIds: [`e${RECENT_COMMANDS + 1}`], revision: RECENT_COMMANDS + 1, position: `p${RECENT_COMMANDS + 1}` });
    assert.equal(commands.lookup('never'), undefined);
    // Hashes collide rarely: of 100,000 new ids, few match the one old hash kept here (odds 1 in 2^30 each).
    let matches = 0;
    for (let i = 0; i < 100_000; i++) if (commands.lookup(`new-${i}`) === 'maybe') matches++;
    assert.ok(matches <= 2, `${matches} of 100,000 new ids matched`);
  });

  it('remembers every older command in a few bytes each, and tells new ids apart', async () => {
    const older = 100_000;
    const before = await liveBytes();
    const commands = new AcceptedCommands();
    for (let i = 0; i < older + RECENT_COMMANDS; i++) commands.record(`old-${i}`, `e${i}`, i, `p${i}`);
    const bytesEach = ((await liveBytes()) - before) / older;
    for (let i = 0; i < older; i++) assert.equal(commands.lookup(`old-${i}`), 'maybe', `old-${i}`);
    let matches = 0;
    for (let i = 0; i < 100_000; i++) if (commands.lookup(`new-${i}`) === 'maybe') matches++;
    // Expected about 9 (100,000 ids against 100,000 hashes of 30 bits).
    assert.ok(matches <= 40, `${matches} of 100,000 new ids matched`);
    // About 10 bytes a command (a table of 2^18 slots of 4 bytes); a Set of the hashes took about 26.
    assert.ok(bytesEach <= 18, `${bytesEach.toFixed(1)} bytes per older command`);
  });
});

