import { FX_STREAM, fxDecider } from '../../cost';
import { EUR_PER_UNIT, METROS, type CloudProvider, type Metro } from './metros.seed';
import { planPhysicalPop } from './physical-pop.seed';
import { PopSchedule } from './pop-schedule.seed';
import { Prng } from './prng.util';
import { policyStreams, workloadStreams, type PopSummary } from './residency-streams.seed';
import { DAY, YEAR, iso, type SeedPeriod } from './seed-time.util';
import { StreamBuilder, type Provenance, type SeedStream } from './stream-builder.seed';
import { planVirtualPop } from './virtual-pop.seed';

export interface NetworkOptions {
  pops: number;
  years: number;
  seed: number;
  /** "Now" of the network (ms); the period is the `years` before it. */
  endMs: number;
  /** Default: 1.25 per PoP. */
  workloads?: number;
  /** Stop adding PoPs once their streams hold this many events (the rebuild benchmark sizes a log with it). */
  maxPopEvents?: number;
  /** Prefix of every PoP and workload id, to add a second generated network to a store. */
  idPrefix?: string;
  provenance: Provenance;
}

export interface NetworkStats {
  pops: number;
  physical: number;
  virtual: number;
  devices: number;
  workloads: number;
  streams: number;
  events: number;
}

const VIRTUAL_SHARE = 0.18;

/**
 * A deterministic network (same options, same events): PoPs weighted toward real metros, then FX
 * rates and residency policies, then workloads placed at PoPs LIVE at the time. The streams come
 * in three phases that must be appended in order, so that, as through the API, a placement never
 * precedes its PoP in the global log. Streams are produced one at a time, so memory stays flat.
 */
export class NetworkGenerator {
  readonly stats: NetworkStats = { pops: 0, physical: 0, virtual: 0, devices: 0, workloads: 0, streams: 0, events: 0 };
  /** Candidate commands the domain refused (and the generator dropped), by rule. */
  readonly rejections = new Map<string, number>();
  readonly period: SeedPeriod;
  /** The PoPs generated so far. */
  readonly summaries: PopSummary[] = [];

  constructor(private readonly options: NetworkOptions) {
    this.period = { startMs: options.endMs - Math.round(options.years * YEAR), endMs: options.endMs };
  }

  *popStreams(): Generator<SeedStream> {
    const { seed, pops, maxPopEvents } = this.options;
    const p = Prng.derive(seed, 'network');
    const ordinals = new Map<string, number>();
    const span = this.period.endMs - this.period.startMs;
    for (let i = 0; i < pops && this.stats.events < (maxPopEvents ?? Infinity); i++) {
      const metro = p.weighted(METROS, (x) => x.weight);
      const providers = Object.keys(metro.cloud) as CloudProvider[];
      const provider = providers.length > 0 && p.chance(VIRTUAL_SHARE) ? p.pick(providers) : null;
      const registeredAt = this.period.startMs + Math.round(span * 0.93 * p.next() ** 0.85);
      const key = provider ? `${provider}-${metro.cloud[provider]}` : metro.code;
      const ordinal = (ordinals.get(key) ?? 0) + 1;
      ordinals.set(key, ordinal);
      const prefix = this.options.idPrefix ?? '';
      const code = `${prefix.toUpperCase()}${provider ? `${key}${ordinal > 1 ? `-${ordinal}` : ''}` : `${metro.code}${ordinal}`}`;
      const schedule = this.schedule(code.toLowerCase(), metro);
      if (provider) planVirtualPop(schedule, this.period, registeredAt, code, provider);
      else planPhysicalPop(schedule, this.period, registeredAt, code, ordinal);
      schedule.runAll();
      const state = schedule.builder.state;
      if (!state) continue;
      this.stats.pops += 1;
      this.stats[provider ? 'virtual' : 'physical'] += 1;
      this.stats.devices += schedule.builder.events.filter((e) => e.type === 'DeviceInstalled').length;
      this.summaries.push({ popId: state.popId, countryCode: metro.countryCode, region: metro.region, transitions: state.transitions });
      yield this.count(schedule.builder.toStream());
    }
  }

  private schedule(popId: string, metro: Metro): PopSchedule {
    return new PopSchedule(popId, metro, Prng.derive(this.options.seed, `pop:${popId}`), this.options.provenance, this.rejections);
  }

  /** FX rates (quarterly, base EUR) and residency policies; after the PoPs. */
  *referenceStreams(): Generator<SeedStream> {
    yield this.count(this.fxStream());
    for (const stream of policyStreams(this.options.seed, this.period, this.options.provenance, this.rejections)) yield this.count(stream);
  }

  /** Workloads placed at the generated PoPs; only after every PoP stream is appended. */
  *workloadStreams(): Generator<SeedStream> {
    const count = this.options.workloads ?? Math.round(this.stats.pops * 1.25);
    const { seed, idPrefix = '', provenance } = this.options;
    for (const stream of workloadStreams(seed, count, this.summaries, this.period, provenance, this.rejections, idPrefix)) {
      this.stats.workloads += 1;
      yield this.count(stream);
    }
  }

  private fxStream(): SeedStream {
    const p = Prng.derive(this.options.seed, 'fx');
    const builder = new StreamBuilder(FX_STREAM, fxDecider, p, this.options.provenance, this.rejections);
    const drift = new Map(Object.keys(EUR_PER_UNIT).map((currency) => [currency, 1]));
    for (let at = this.period.startMs; at <= this.period.endMs; at += 91 * DAY) {
      const rates = [...drift.keys()]
        .filter((currency) => currency !== 'EUR')
        .map((currency) => {
          const factor = (drift.get(currency) as number) * p.float(0.97, 1.03);
          drift.set(currency, factor);
          return { currency, toBase: decimal(EUR_PER_UNIT[currency] * factor) };
        });
      builder.tryDecide({ type: 'SetExchangeRates', data: { base: 'EUR', rates }, effectiveAt: iso(at) }, undefined);
    }
    return builder.toStream();
  }

  private count(stream: SeedStream): SeedStream {
    this.stats.streams += 1;
    this.stats.events += stream.events.length;
    return stream;
  }
}

/** A positive decimal string with at most 10 decimals (exchange rates). */
function decimal(value: number): string {
  return value.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
}
