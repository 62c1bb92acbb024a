import { popDecider, popStream } from '../../inventory';
import type { PopCommand, PopEvent, PopState } from '../../inventory';
import { EUR_PER_UNIT, type Metro } from './metros.seed';
import type { Prng } from './prng.util';
import { iso } from './seed-time.util';
import { StreamBuilder, type Provenance } from './stream-builder.seed';

type Data<T extends PopCommand['type']> = Extract<PopCommand, { type: T }>['data'];

interface Action {
  at: number;
  order: number;
  run: () => void;
}

/**
 * A PoP's generated history: actions are planned with their effective time in any order, then run
 * in time order through the PoP decider, as the network would have recorded them. Later actions
 * look at what earlier ones achieved (a rejected rack gets no feeds).
 */
export class PopSchedule {
  readonly builder: StreamBuilder<PopCommand, PopState, PopEvent>;
  private readonly queue: Action[] = [];
  private planned = 0;

  constructor(
    readonly popId: string,
    readonly metro: Metro,
    readonly prng: Prng,
    provenance: Provenance,
    rejections: Map<string, number>,
  ) {
    this.builder = new StreamBuilder(popStream(popId), popDecider, prng, provenance, rejections);
  }

  at(ms: number, run: () => void): void {
    heapPush(this.queue, { at: ms, order: this.planned++, run });
  }

  /** Runs every planned action in time order (actions may plan further ones, e.g. a removal). */
  runAll(): void {
    for (let next = heapPop(this.queue); next; next = heapPop(this.queue)) next.run();
  }

  decide<T extends PopCommand['type']>(type: T, data: Data<T>, at: number): boolean {
    return this.builder.tryDecide({ type, data, effectiveAt: iso(at) } as PopCommand, undefined);
  }

  /** A price given in euros, in the metro's currency. */
  local(eur: number): { amount: string; currency: string } {
    return seedMoney(eur, this.metro.currency);
  }
}

export function seedMoney(eur: number, currency: string): { amount: string; currency: string } {
  return { amount: (eur / EUR_PER_UNIT[currency]).toFixed(2), currency };
}

const before = (a: Action, b: Action): boolean => a.at < b.at || (a.at === b.at && a.order < b.order);

function heapPush(heap: Action[], action: Action): void {
  heap.push(action);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function heapPop(heap: Action[]): Action | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length > 0 && last) {
    heap[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left], heap[smallest])) smallest = left;
      if (right < heap.length && before(heap[right], heap[smallest])) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
  return top;
}
