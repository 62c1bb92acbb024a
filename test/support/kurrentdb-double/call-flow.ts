import type { EventEmitter } from 'node:events';

/** The server side of a call that streams responses (grpc-js ServerWritableStream or ServerDuplexStream). */
export interface ResponseStream<T> extends EventEmitter {
  readonly cancelled: boolean;
  readonly destroyed: boolean;
  write(message: T): boolean;
}

export class CallCancelledError extends Error {
  constructor() {
    super('call cancelled');
  }
}

/**
 * Writes one response and waits while the transport's buffer is full, as the server's
 * `await responseStream.WriteAsync(...)` does: a slow reader holds the writer back (HTTP/2 flow control).
 * Throws CallCancelledError once the call is cancelled (client cancel, deadline or server shutdown),
 * so that no work goes on for a call nobody listens to.
 */
export async function send<T>(call: ResponseStream<T>, message: T): Promise<void> {
  if (call.cancelled || call.destroyed) throw new CallCancelledError();
  if (!call.write(message)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        call.off('drain', done).off('cancelled', done).off('close', done);
        resolve();
      };
      call.on('drain', done).on('cancelled', done).on('close', done);
    });
  }
  if (call.cancelled) throw new CallCancelledError();
}

/** An AbortSignal that fires when grpc-js reports the call cancelled (client cancel, deadline, shutdown). */
export function cancellationOf(call: EventEmitter & { readonly cancelled: boolean }): AbortSignal {
  const controller = new AbortController();
  if (call.cancelled) controller.abort();
  else call.once('cancelled', () => controller.abort());
  return controller.signal;
}
