import { Injectable } from '@nestjs/common';

/** In-process nudges for the delivery workers: a subscription changed, or dead letters are to be redelivered. */
@Injectable()
export class OutboundSignals {
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscriptionsChanged(): void {
    for (const listener of this.listeners) listener();
  }
}
