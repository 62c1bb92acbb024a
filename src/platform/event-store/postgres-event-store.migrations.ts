import type { Migration } from '../database/migrations.runner';

/**
 * Events schema. The global order is (transaction_id, global_position): readers only look at
 * transactions older than the oldest one still running, so a slow transaction that took its
 * sequence numbers first but commits last is never skipped (Emmett's technique).
 */
export const postgresEventStoreMigrations: Migration[] = [
  {
    id: '0001-event-store',
    sql: `
CREATE TABLE es_streams (
  stream_id text PRIMARY KEY,
  revision bigint NOT NULL
);

CREATE TABLE es_events (
  global_position bigserial NOT NULL,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  revision bigint NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream_id, revision)
);

CREATE INDEX es_events_log ON es_events (transaction_id, global_position);

-- The notification channel of this schema's log (an identifier, whatever the schema is called).
CREATE FUNCTION es_channel() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT 'es_' || left(md5(current_schema()), 20) $$;

-- One statement per append, so one round trip: the expected-revision check on the stream row, then
-- the events. p_expected: 'no_stream', 'any', 'exists' or a revision. Returns ok = false and the
-- actual revision (NULL: no stream) when the check fails. No NOTIFY in here: a notifying transaction
-- holds a cluster-wide lock through its commit (and its WAL flush), which would serialise appends.
CREATE FUNCTION es_append(p_stream_id text, p_expected text, p_events json)
RETURNS TABLE (ok boolean, revision bigint, transaction_id xid8, global_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_count bigint := json_array_length(p_events);
  v_last bigint;
BEGIN
  IF p_expected = 'no_stream' THEN
    INSERT INTO es_streams AS s (stream_id, revision) VALUES (p_stream_id, v_count - 1)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING s.revision INTO v_last;
  ELSIF p_expected = 'any' THEN
    INSERT INTO es_streams AS s (stream_id, revision) VALUES (p_stream_id, v_count - 1)
      ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + v_count
      RETURNING s.revision INTO v_last;
  ELSIF p_expected = 'exists' THEN
    UPDATE es_streams AS s SET revision = s.revision + v_count
      WHERE s.stream_id = p_stream_id
      RETURNING s.revision INTO v_last;
  ELSE
    UPDATE es_streams AS s SET revision = s.revision + v_count
      WHERE s.stream_id = p_stream_id AND s.revision = p_expected::bigint
      RETURNING s.revision INTO v_last;
  END IF;

  IF v_last IS NULL THEN
    RETURN QUERY SELECT false, (SELECT s.revision FROM es_streams AS s WHERE s.stream_id = p_stream_id), NULL::xid8, NULL::bigint;
    RETURN;
  END IF;

  RETURN QUERY
  WITH inserted AS (
    INSERT INTO es_events (stream_id, revision, event_id, type, data, metadata)
    SELECT p_stream_id, v_last - v_count + e.ord, e.id, e.type, e.data, e.metadata
    FROM ROWS FROM (json_to_recordset(p_events) AS (id uuid, type text, data jsonb, metadata jsonb))
      WITH ORDINALITY AS e (id, type, data, metadata, ord)
    ORDER BY e.ord
    RETURNING es_events.global_position
  )
  SELECT true, v_last, pg_current_xact_id(), max(inserted.global_position) FROM inserted;
END
$$;
`,
  },
  {
    id: '0002-event-store-stream-locks-append-all',
    sql: `
-- Appends to one stream are serialised by a transaction-level advisory lock taken before anything is
-- written. A transaction id is assigned at the first write, so an append's transaction id is always
-- later than that of the append before it on the same stream, and the global log (in transaction id
-- order) keeps every stream's order, also when one transaction carries several appends
-- (es_append_all). Locks are taken in key order: two transactions never wait for each other.
CREATE FUNCTION es_lock_streams(p_stream_ids text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_key bigint;
BEGIN
  FOR v_key IN SELECT DISTINCT hashtextextended(current_schema() || '/' || s.id, 0) FROM unnest(p_stream_ids) AS s (id) ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(v_key);
  END LOOP;
END
$$;

ALTER FUNCTION es_append(text, text, json) RENAME TO es_append_locked;

CREATE FUNCTION es_append(p_stream_id text, p_expected text, p_events json)
RETURNS TABLE (ok boolean, revision bigint, transaction_id xid8, global_position bigint)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM es_lock_streams(ARRAY[p_stream_id]);
  RETURN QUERY SELECT * FROM es_append_locked(p_stream_id, p_expected, p_events);
END
$$;

-- Appends that queued up while others were in flight, in one statement and one commit (group commit):
-- each checked and written in order exactly as es_append does it alone; one row per append, in order.
CREATE FUNCTION es_append_all(p_appends json)
RETURNS TABLE (ok boolean, revision bigint, transaction_id xid8, global_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_append json;
BEGIN
  PERFORM es_lock_streams(ARRAY(SELECT a->>'stream' FROM json_array_elements(p_appends) AS a));
  FOR v_append IN SELECT a.value FROM json_array_elements(p_appends) WITH ORDINALITY AS a (value, ord) ORDER BY a.ord LOOP
    RETURN QUERY SELECT * FROM es_append_locked(v_append->>'stream', v_append->>'expected', v_append->'events');
  END LOOP;
END
$$;
`,
  },
  {
    // Numbered well after the other event-store migrations so that concurrent work can slot in before it.
    id: '0050-event-store-json-data',
    sql: `
-- Event data and metadata as json (the text as appended, checked for syntax) instead of jsonb: nothing
-- queries inside them, and every read converts them back to text, which for jsonb costs the server
-- more than the rest of a replayed row; appends skip the binary conversion too. Existing logs are
-- converted in place (a table rewrite under an exclusive lock: see docs/operations.md).
ALTER TABLE es_events
  ALTER COLUMN data TYPE json USING data::json,
  ALTER COLUMN metadata TYPE json USING metadata::json;

CREATE OR REPLACE FUNCTION es_append_locked(p_stream_id text, p_expected text, p_events json)
RETURNS TABLE (ok boolean, revision bigint, transaction_id xid8, global_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_count bigint := json_array_length(p_events);
  v_last bigint;
BEGIN
  IF p_expected = 'no_stream' THEN
    INSERT INTO es_streams AS s (stream_id, revision) VALUES (p_stream_id, v_count - 1)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING s.revision INTO v_last;
  ELSIF p_expected = 'any' THEN
    INSERT INTO es_streams AS s (stream_id, revision) VALUES (p_stream_id, v_count - 1)
      ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + v_count
      RETURNING s.revision INTO v_last;
  ELSIF p_expected = 'exists' THEN
    UPDATE es_streams AS s SET revision = s.revision + v_count
      WHERE s.stream_id = p_stream_id
      RETURNING s.revision INTO v_last;
  ELSE
    UPDATE es_streams AS s SET revision = s.revision + v_count
      WHERE s.stream_id = p_stream_id AND s.revision = p_expected::bigint
      RETURNING s.revision INTO v_last;
  END IF;

  IF v_last IS NULL THEN
    RETURN QUERY SELECT false, (SELECT s.revision FROM es_streams AS s WHERE s.stream_id = p_stream_id), NULL::xid8, NULL::bigint;
    RETURN;
  END IF;

  RETURN QUERY
  WITH inserted AS (
    INSERT INTO es_events (stream_id, revision, event_id, type, data, metadata)
    SELECT p_stream_id, v_last - v_count + e.ord, e.id, e.type, e.data, e.metadata
    FROM ROWS FROM (json_to_recordset(p_events) AS (id uuid, type text, data json, metadata json))
      WITH ORDINALITY AS e (id, type, data, metadata, ord)
    ORDER BY e.ord
    RETURNING es_events.global_position
  )
  SELECT true, v_last, pg_current_xact_id(), max(inserted.global_position) FROM inserted;
END
$$;
`,
  },
];
