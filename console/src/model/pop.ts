// The PoP view's model: the instants the rack elevation slider stops at, the power feeds of each rack
// by side, and the event history as rows.

export interface HistoryEvent {
  eventId: string;
  type: string;
  effectiveAt: string;
  recordedAt: string;
  actor: string;
  source: string;
  data: Record<string, unknown>;
}

/**
 * The slider's stops: each distinct effective instant of the PoP's events (past and planned), plus asOf
 * itself, ascending. Moving the slider to a stop shows the racks as that change left them.
 */
export function sliderStops(events: readonly HistoryEvent[], asOf: string): string[] {
  return [...new Set([...events.map((event) => new Date(event.effectiveAt).toISOString()), new Date(asOf).toISOString()])].sort();
}

/** The stop at or just before `at` (the first stop when `at` is earlier than all). */
export function stopIndex(stops: readonly string[], at: string): number {
  let index = 0;
  for (let i = 0; i < stops.length; i += 1) if (stops[i] <= at) index = i;
  return index;
}

export interface FeedSideSummary {
  feeds: number;
  /** Nominal apparent power of the feeds, V × A (× √3 for three-phase), in kVA. */
  nominalKva: number;
}

export interface RackFeeds {
  rackId: string;
  A: FeedSideSummary;
  B: FeedSideSummary;
}

interface FeedData {
  feedId: string;
  rackId: string;
  side: 'A' | 'B';
  phase: 'SINGLE' | 'THREE';
  voltage: number;
  amperage: number;
}

/**
 * Power feeds present at `asOf` per rack and side, from the PoP's events (PowerFeedAdded, PowerFeedRemoved,
 * RackRemoved), in effective-time order: what the A/B columns of the rack table show.
 */
export function feedsByRack(events: readonly HistoryEvent[], asOf: string): RackFeeds[] {
  const feeds = new Map<string, FeedData>();
  const upTo = Date.parse(asOf);
  const ordered = events.filter((event) => Date.parse(event.effectiveAt) <= upTo).sort((a, b) => Date.parse(a.effectiveAt) - Date.parse(b.effectiveAt));
  for (const event of ordered) {
    const data = event.data as Partial<FeedData>;
    if (event.type === 'PowerFeedAdded' && data.feedId) feeds.set(data.feedId, data as FeedData);
    else if (event.type === 'PowerFeedRemoved' && data.feedId) feeds.delete(data.feedId);
    else if (event.type === 'RackRemoved') for (const [id, feed] of feeds) if (feed.rackId === data.rackId) feeds.delete(id);
  }
  const racks = new Map<string, RackFeeds>();
  for (const feed of feeds.values()) {
    const rack = racks.get(feed.rackId) ?? { rackId: feed.rackId, A: { feeds: 0, nominalKva: 0 }, B: { feeds: 0, nominalKva: 0 } };
    const side = rack[feed.side];
    side.feeds += 1;
    side.nominalKva = Math.round((side.nominalKva + (feed.voltage * feed.amperage * (feed.phase === 'THREE' ? Math.sqrt(3) : 1)) / 1000) * 100) / 100;
    racks.set(feed.rackId, rack);
  }
  return [...racks.values()].sort((a, b) => a.rackId.localeCompare(b.rackId));
}

/** History rows newest effective time first, each with a one-line summary of its data. */
export function historyRows(events: readonly HistoryEvent[]): Array<HistoryEvent & { summary: string }> {
  return [...events]
    .sort((a, b) => b.effectiveAt.localeCompare(a.effectiveAt) || b.recordedAt.localeCompare(a.recordedAt))
    .map((event) => ({ ...event, summary: summarize(event.data) }));
}

function summarize(data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([key, value]) => key !== 'popId' && value !== null && typeof value !== 'object')
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}
