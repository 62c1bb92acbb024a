/**
 * Records of one kind keyed by a client-supplied id, stored by column: a row per record, an array per
 * field, and the ids hashed into an array of row numbers. A cached state holds a record per device or
 * reservation, up to a million events' worth: as objects in an id-keyed dictionary each cost about 200
 * bytes (object, boxed numbers, dictionary entry); by column the numbers sit unboxed in their arrays and
 * the index costs a slot or two (test/inventory/domain/pop-state-memory.test.ts).
 *
 * Plain JSON throughout (states are cloned and snapshotted). Rows are never deleted, so a row number is
 * a stable reference to its record; change a field with `table.columns.field[row] = value`.
 * The hash is computed here rather than by a Map or an object's keys, which are neither JSON nor compact.
 *
 * Read each column at a site of its own (`columns.from[row]`), never in a loop over the fields: V8
 * optimizes a load that sees number and non-number arrays by turning them all into arrays of pointers
 * to boxed numbers, which undoes the saving.
 */

/** `columns[field][row]` is the field of the row's record. */
export interface RecordTable<R extends object> {
  /** Per row, its record's id. */
  ids: string[];
  columns: { [K in keyof R]: R[K][] };
  /** Open addressing with linear probing: per slot, row + 1, or 0 when free. Length a power of two. */
  slots: number[];
  /** Starts the ids' hash: kept with the table, so a copy read back in another process still finds its ids. */
  seed: number;
}

const MIN_SLOTS = 16;

/**
 * Ids come from clients: with a hash known in advance, one could pick ids that all probe the same slots and
 * make every insert into a PoP linear in its devices. A seed drawn per process (as V8 seeds its own hash
 * tables) keeps them from knowing which ids collide.
 */
const PROCESS_SEED = Math.floor(Math.random() * 2 ** 32);

/** `columns`: an empty array per field. `seed`: the process's, unless a test sets one. */
export function emptyTable<R extends object>(columns: { [K in keyof R]: R[K][] }, seed = PROCESS_SEED): RecordTable<R> {
  return { ids: [], columns, slots: freeSlots(MIN_SLOTS), seed };
}

/** The row of the record with this id, or -1. */
export function rowOf<R extends object>(table: RecordTable<R>, id: string): number {
  const { slots, ids } = table;
  const mask = slots.length - 1;
  for (let slot = hashOf(id, table.seed) & mask; ; slot = (slot + 1) & mask) {
    const entry = slots[slot];
    if (entry === 0) return -1;
    if (ids[entry - 1] === id) return entry - 1;
  }
}

/** Adds a record under a new id (ids are unique: the caller checked) and returns its row. */
export function addRow<R extends object>(table: RecordTable<R>, id: string, record: R): number {
  if (rowOf(table, id) >= 0) throw new Error(`record table: id ${id} is already taken`);
  const row = table.ids.length;
  table.ids.push(id);
  for (const field in table.columns) table.columns[field].push(record[field]);
  // At most 3/4 full keeps probes short; doubling keeps rehashing O(1) per row, amortized.
  if ((row + 1) * 4 > table.slots.length * 3) table.slots = rehashed(table.ids, table.slots.length * 2, table.seed);
  else place(table.slots, id, row, table.seed);
  return row;
}

/** The record with this id as `read` takes it out of its row, or undefined. */
export function findRecord<R extends object, T>(table: RecordTable<R>, id: string, read: (table: RecordTable<R>, row: number) => T): T | undefined {
  const row = rowOf(table, id);
  return row < 0 ? undefined : read(table, row);
}

function rehashed(ids: readonly string[], size: number, seed: number): number[] {
  const slots = freeSlots(size);
  ids.forEach((id, row) => place(slots, id, row, seed));
  return slots;
}

function place(slots: number[], id: string, row: number, seed: number): void {
  const mask = slots.length - 1;
  let slot = hashOf(id, seed) & mask;
  while (slots[slot] !== 0) slot = (slot + 1) & mask;
  slots[slot] = row + 1;
}

function freeSlots(size: number): number[] {
  return new Array<number>(size).fill(0);
}

/**
 * FNV-1a over the UTF-16 code units from the seeded basis, then MurmurHash3's finalizer (FNV's low bits,
 * which pick the slot, depend only on the code units' low bits).
 */
function hashOf(id: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let index = 0; index < id.length; index++) hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}
