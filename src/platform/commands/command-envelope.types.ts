import { Principal } from '../api/auth/roles.types';
import { EventSource } from '../event-store/event-store.port';

/** Everything about a command that is not its business data (docs/domain.md, "Streams and time"). */
export interface CommandEnvelope {
  principal: Principal;
  source: EventSource;
  commandId?: string;
  effectiveAt?: string;
  expectedRevision?: number;
  correlationId?: string;
  /** Decide only: nothing is appended and no commandId is remembered (docs/api.md, "Dry runs"). */
  dryRun?: boolean;
}
