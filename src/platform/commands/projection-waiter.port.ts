/** Read-your-writes: resolves true once every projection has passed `position` (false on timeout). */
export interface ProjectionWaiter {
  waitFor(position: string, timeoutMs: number): Promise<boolean>;
}

export const PROJECTION_WAITER = Symbol('PROJECTION_WAITER');
