import type { ComponentChildren } from 'preact';
import type { Loaded } from './hooks';

/** Loading, error and empty states, the same in every view. */
export function Async<T>(props: { loaded: Loaded<T>; empty?: (value: T) => boolean; emptyText?: string; children: (value: T) => ComponentChildren }) {
  const { loaded } = props;
  if (loaded.state === 'loading') return <p class="state loading" role="status">Loading…</p>;
  if (loaded.state === 'error') return <p class="state error" role="alert">Could not load: {loaded.message}</p>;
  if (props.empty?.(loaded.value)) return <p class="state empty">{props.emptyText ?? 'Nothing to show.'}</p>;
  return <>{props.children(loaded.value)}</>;
}

export function StatusBadge(props: { status: string | null }) {
  const status = props.status ?? 'NONE';
  return <span class={`badge status-${status.toLowerCase()}`}>{props.status ?? 'no figures'}</span>;
}
