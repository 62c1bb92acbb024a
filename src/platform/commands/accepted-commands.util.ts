/** What a duplicate of an accepted command answers: its events, the revision of its last one and the append's position. */
export interface AcceptedCommand {
  eventIds: string[];
  revision: number;
  position: string;
}

/** Commands of a stream whose answers are kept whole: the last ones, which retries nearly always repeat. */
export const RECENT_COMMANDS = 64;

/**
 * The commandIds accepted on one cached stream, in memory that does not grow with their answers: the
 * `RECENT_COMMANDS` last ones with their answers, the older ones as 30-bit hashes only (8 to 16 bytes
 * each in a typed array, no string, no object). A hash that matches says only "maybe": the caller reads the
 * stream to know, and to answer (idempotency holds forever, whatever the cache keeps). A new commandId
 * matches an older hash with odds of (older ids) / 2^30, about 2 in 100,000 on a 20,000-command stream.
 */
export class AcceptedCommands {
  private readonly recent = new Map<string, AcceptedCommand>();
  private readonly older = new HashSet30();

  /** Files an event under its command (a command's events are recorded together, in order). */
  record(commandId: string, eventId: string, revision: number, position: string): void {
    const accepted = this.recent.get(commandId);
    if (accepted) {
      accepted.eventIds.push(eventId);
      accepted.revision = revision;
      accepted.position = position;
      return;
    }
    this.recent.set(commandId, { eventIds: [eventId], revision, position });
    if (this.recent.size > RECENT_COMMANDS) {
      const oldest = this.recent.keys().next().value as string;
      this.recent.delete(oldest);
      this.older.add(hash30(oldest));
    }
  }

  /** The answer of a recent command; `'maybe'` when an older one has the same hash; undefined: not accepted. */
  lookup(commandId: string): AcceptedCommand | 'maybe' | undefined {
    return this.recent.get(commandId) ?? (this.older.has(hash30(commandId)) ? 'maybe' : undefined);
  }
}

/**
 * A set of 30-bit hashes in one typed array, open-addressed with linear probing and at most half full:
 * 8 to 16 bytes a hash where a Set of small integers takes about 30 (a cached stream keeps one per
 * command it ever accepted). A slot holds hash + 1, so that 0 marks a free one. Streams with no older
 * commands (most of them) allocate nothing.
 */
class HashSet30 {
  private slots: Uint32Array | null = null;
  private size = 0;

  add(hash: number): void {
    this.slots ??= new Uint32Array(MIN_SLOTS);
    if (!insert(this.slots, hash + 1)) return;
    this.size++;
    if (this.size * 2 > this.slots.length) {
      const slots = new Uint32Array(this.slots.length * 2);
      for (const value of this.slots) if (value !== 0) insert(slots, value);
      this.slots = slots;
    }
  }

  has(hash: number): boolean {
    const slots = this.slots;
    if (!slots) return false;
    const mask = slots.length - 1;
    for (let i = hash & mask; slots[i] !== 0; i = (i + 1) & mask) if (slots[i] === hash + 1) return true;
    return false;
  }
}

const MIN_SLOTS = 256;

/** Puts `value` (a hash + 1) in the first free slot from its own; false when it is there already. */
function insert(slots: Uint32Array, value: number): boolean {
  const mask = slots.length - 1;
  let i = (value - 1) & mask;
  for (; slots[i] !== 0; i = (i + 1) & mask) if (slots[i] === value) return false;
  slots[i] = value;
  return true;
}

/** FNV-1a over UTF-16 code units, folded to 30 bits (a slot of HashSet30 holds it + 1). */
function hash30(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash ^ (hash >>> 30)) & 0x3fffffff;
}
