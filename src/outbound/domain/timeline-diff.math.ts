/**
 * Announcing changes of a value over effective time (a resource's status, whether a placement breaks a
 * policy) when a new fact rewrites part of its timeline, back-dated or planned.
 *
 * A timeline is the value in force before a range, then its changes in time order (each value holds from
 * its `at` until the next change). `previous` is what was announced before, `next` the truth now; both
 * cover the same range (from some instant on). Every instant where either changes is visited in order,
 * keeping track of what a consumer who applied every earlier announcement believes there, and an
 * announcement `{ at, from, to }` is made where
 * - the value now changes at `at` and did not change that way before (`from` is the value just before), or
 * - the value from `at` on is not what the consumer believes (`from` is what they believed).
 * Repeating the same facts announces nothing; a timeline nobody changed yields no announcement.
 */

export interface TimelineChange<V> {
  /** ISO 8601 instant, normalised (milliseconds and Z), so instants compare as strings. */
  at: string;
  value: V;
}

export interface Timeline<V> {
  before: V;
  changes: ReadonlyArray<TimelineChange<V>>;
}

export interface Announcement<V> {
  at: string;
  from: V;
  to: V;
}

export type Same<V> = (a: V, b: V) => boolean;

export function announcements<V>(previous: Timeline<V>, next: Timeline<V>, same: Same<V>): Announcement<V>[] {
  const instants = [...new Set([...previous.changes, ...next.changes].map(({ at }) => at))].sort();
  const result: Announcement<V>[] = [];
  let believed = previous.before;
  let old = previous.before;
  let now = next.before;
  let p = 0;
  let n = 0;
  for (const at of instants) {
    const [oldBefore, nowBefore] = [old, now];
    let oldChanged = false;
    while (p < previous.changes.length && previous.changes[p].at === at) {
      old = previous.changes[p++].value;
      oldChanged = true;
    }
    while (n < next.changes.length && next.changes[n].at === at) now = next.changes[n++].value;
    if (oldChanged) believed = old;
    const transition = !same(nowBefore, now);
    const announcedAlready = same(oldBefore, nowBefore) && same(old, now);
    if (!same(believed, now) || (transition && !announcedAlready)) {
      result.push({ at, from: transition ? nowBefore : believed, to: now });
      believed = now;
    }
  }
  return result;
}

/** The changes that change the value (from `before` on): what is worth storing. */
export function compress<V>(timeline: Timeline<V>, same: Same<V>): TimelineChange<V>[] {
  const changes: TimelineChange<V>[] = [];
  let current = timeline.before;
  for (const change of timeline.changes) {
    if (!same(current, change.value)) changes.push(change);
    current = change.value;
  }
  return changes;
}
