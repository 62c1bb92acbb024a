import type { NetworkGenerator } from './network-generator.seed';
import type { SeedStream } from './stream-builder.seed';
import type { StreamSink } from './stream-sinks.seed';

/**
 * Writes a generated network phase by phase: every PoP stream, then FX rates and policies, then
 * workloads (a placement must never precede its PoP in the global log).
 */
export async function seedNetwork(generator: NetworkGenerator, sink: StreamSink, onStream: (stream: SeedStream) => void = () => undefined): Promise<void> {
  await sink.write(generator.popStreams(), onStream);
  await sink.write(generator.referenceStreams(), onStream);
  await sink.write(generator.workloadStreams(), onStream);
}
