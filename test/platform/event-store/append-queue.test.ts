import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppendQueue } from '../../../src/platform/event-store/append-queue.util';

interface Item {
  stream: string;
  name: string;
}

/** A queue whose sends stay open until the test settles them, recording what went in each send. */
function controlledQueue(options: { concurrency: number; refused?: string }) {
  const sends: Array<{ names: string[]; settle(): void }> = [];
  const open = (names: string[], outcome: () => string[]) =>
    new Promise<string[]>((resolve, reject) => {
      sends.push({
        names,
        settle: () => {
          try {
            resolve(outcome());
          } catch (error) {
            reject(error);
          }
        },
      });
    });
  const queue = new AppendQueue<Item, string>(
    async (item) => (await open([item.name], () => (item.name === options.refused ? refuse() : [`ok ${item.name}`])))[0],
    (items) => open(items.map(({ name }) => name), () => (items.some(({ name }) => name === options.refused) ? refuse() : items.map(({ name }) => `ok ${name}`))),
    { concurrency: options.concurrency, maxBatch: 10, keyOf: (item) => item.stream, refusedWhole: (error) => error instanceof RefusedError },
  );
  return { queue, sends };
}

class RefusedError extends Error {}
function refuse(): never {
  throw new RefusedError('refused');
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AppendQueue (group commit)', () => {
  test('given a send in flight, when more items arrive, then they go together in the next send', async () => {
    const { queue, sends } = controlledQueue({ concurrency: 1 });
    const results = ['a1', 'b1', 'c1'].map((name) => queue.submit({ stream: name[0], name }));
    assert.deepEqual(sends.map((send) => send.names), [['a1']]);
    sends[0].settle();
    await tick();
    assert.deepEqual(sends.map((send) => send.names), [['a1'], ['b1', 'c1']]);
    sends[1].settle();
    assert.deepEqual(await Promise.all(results), ['ok a1', 'ok b1', 'ok c1']);
  });

  test('given a stream with a send in flight, when it gets another item, then that item waits and other streams do not', async () => {
    const { queue, sends } = controlledQueue({ concurrency: 4 });
    const results = [
      queue.submit({ stream: 's', name: 's1' }),
      queue.submit({ stream: 's', name: 's2' }),
      queue.submit({ stream: 't', name: 't1' }),
    ];
    assert.deepEqual(sends.map((send) => send.names), [['s1'], ['t1']]);
    sends[1].settle();
    await tick();
    assert.deepEqual(sends.map((send) => send.names), [['s1'], ['t1']], 's2 must not overtake s1');
    sends[0].settle();
    await tick();
    assert.deepEqual(sends.map((send) => send.names), [['s1'], ['t1'], ['s2']]);
    sends[2].settle();
    assert.deepEqual(await Promise.all(results), ['ok s1', 'ok s2', 'ok t1']);
  });

  test('given a batch refused as a whole, then its items are retried one by one, in order within a stream, and only the bad one fails', async () => {
    const { queue, sends } = controlledQueue({ concurrency: 1, refused: 's2' });
    const first = queue.submit({ stream: 'x', name: 'x1' });
    const outcomes = Promise.allSettled([first, ...['s1', 's2', 's3', 't1'].map((name) => queue.submit({ stream: name[0], name }))]);
    sends[0].settle();
    await tick();
    sends[1].settle(); // the batch s1 s2 s3 t1, refused because of s2
    await tick();
    assert.deepEqual(sends.slice(2).map((send) => send.names), [['s1'], ['t1']], 'one stream at a time: s2 waits for s1');
    sends[2].settle();
    await tick();
    assert.deepEqual(sends.slice(4).map((send) => send.names), [['s2']]);
    sends[4].settle();
    await tick();
    assert.deepEqual(sends.slice(5).map((send) => send.names), [['s3']]);
    sends[3].settle();
    sends[5].settle();
    assert.deepEqual((await outcomes).map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : 'refused')), ['ok x1', 'ok s1', 'refused', 'ok s3', 'ok t1']);
  });

  test('given a batch that fails otherwise (a lost connection), then every item of it fails', async () => {
    const queue = new AppendQueue<Item, string>(
      () => Promise.reject(new Error('unreachable')), // the first item goes alone, the next two together
      () => Promise.reject(new Error('connection lost')),
      { concurrency: 1, maxBatch: 10, keyOf: (item) => item.stream, refusedWhole: () => false },
    );
    const outcomes = await Promise.allSettled(['a', 'b', 'c'].map((name) => queue.submit({ stream: name, name })));
    assert.deepEqual(outcomes.map((outcome) => outcome.status === 'rejected' && String(outcome.reason)), ['Error: unreachable', 'Error: connection lost', 'Error: connection lost']);
  });
});
