import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { BREAK, GraphQLResolveInfo, Kind, visit } from 'graphql';
import { LRUCache } from 'lru-cache';
import { map, Observable } from 'rxjs';
import type { MetricsService } from '../../observability/metrics.service';
import type { AuthenticatedRequest } from '../auth/auth.guard';

/** Bytes of serialized answers (and their keys) kept at most (the POP summaries of 10,000 PoPs are about 1.3 MB each). */
export const KEPT_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * A GraphQL answer's bytes, keyed by the kept answer (the list a resolver returned, by identity) it was
 * written from and by everything else the bytes depend on: the caller's role, the document, the operation
 * and the variables. A new kept answer has a new identity, so its predecessor's bytes are never served again
 * and age out (bounded in bytes).
 */
const answers = new LRUCache<string, Buffer>({ maxSize: KEPT_ANSWER_BYTES, sizeCalculation: (bytes, key) => bytes.length + key.length });
const identities = new WeakMap<object, number>();
let lastIdentity = 0;

/**
 * A kept list of a request's answer: where it sits (response keys from the root), its key, the kept bytes to
 * send in its place or (once the execution is done) the list to write and keep; and the hole, a string that
 * stands for it in the serialized answer (random per process and list, so no answer holds it otherwise).
 */
interface Pending {
  path: readonly string[];
  key: string;
  hole: string;
  send?: Buffer | Buffer[];
  write?: unknown;
  /** Kept items (keptItemList) whose texts the written list's items become, under the selection's id. */
  items?: { of: readonly object[]; selection: number };
}
const pending = new WeakMap<FastifyRequest, Pending[]>();
const HOLE = `\u0000kept answer ${randomUUID()} `;

function identityOf(value: object): number {
  let identity = identities.get(value);
  if (identity === undefined) identities.set(value, (identity = ++lastIdentity));
  return identity;
}

/** The response keys from the root to a field, or undefined below a list (where it is answered more than once). */
function responsePath(info: GraphQLResolveInfo): string[] | undefined {
  const keys: string[] = [];
  for (let at: GraphQLResolveInfo['path'] | undefined = info.path; at !== undefined; at = at.prev) {
    if (typeof at.key !== 'string') return undefined;
    keys.unshift(at.key);
  }
  return keys;
}

/**
 * A field's list as the execution should complete it: empty when bytes were written from this very list
 * (by identity) for the same role, document text, operation, coerced variables and place in the answer,
 * which the hooks then put in its place; otherwise the list itself, whose bytes the hooks keep. Only in
 * queries, and for a field not below a list.
 */
export function keptAnswerList<T>(request: AuthenticatedRequest | undefined, info: GraphQLResolveInfo, list: T[]): T[] {
  const place = keptPlace(request, info);
  if (place === undefined) return list;
  const key = `${identityOf(list)} ${JSON.stringify([place.role, info.operation.name?.value ?? null, info.variableValues, place.source, place.path])}`;
  const send = answers.get(key);
  const lists = pendingLists(place.request);
  lists.push({ path: place.path, key, hole: `${HOLE}${lists.length}`, send });
  return send ? [] : list;
}

/** Where a kept list may stand in an answer: a query's field not below a list, for an authenticated caller (else undefined). */
function keptPlace(request: AuthenticatedRequest | undefined, info: GraphQLResolveInfo) {
  const role = request?.principal?.role;
  const path = responsePath(info);
  const source = info.operation.loc?.source.body;
  if (!request || role === undefined || path === undefined || source === undefined || info.operation.operation !== 'query') return undefined;
  return { request, role, path, source };
}

/** The request's kept lists, which a new one joins. */
function pendingLists(request: FastifyRequest): Pending[] {
  let lists = pending.get(request);
  if (lists === undefined) pending.set(request, (lists = []));
  return lists;
}

/**
 * Items kept together (one keepItemBytes call): their JSON texts per selection (by id), by item index, for at
 * most ITEM_SELECTIONS selections, the oldest dropped first. They live as long as their items.
 */
class KeptItems {
  readonly texts = new Map<number, string[]>();

  constructor(readonly size: number) {}
}
const ITEM_SELECTIONS = 4;
/**
 * A kept item's place, held by the item itself under a symbol (not enumerable, so neither spread nor
 * JSON.stringify sees it): one property read per item and request, where a WeakMap look-up of each of
 * 10,000 items cost 6 ms of a request's CPU.
 */
const PLACE = Symbol('kept item');
interface Place {
  of: KeptItems;
  index: number;
}
/**
 * Selection keys to ids: an id is never reused, so a text kept under a forgotten key is never sent for another;
 * null for a selection that uses variables or directives (no item takes part).
 */
const selectionIds = new Map<string, number | null>();
let lastSelection = 0;

/**
 * Registers objects a kept answer hands out as they are (the same object, unchanged, while the answer holds),
 * so that keptItemList may send the JSON text written from each for a selection instead of completing it again.
 */
export function keepItemBytes(items: readonly object[]): void {
  const of = new KeptItems(items.length);
  items.forEach((item, index) => Object.defineProperty(item, PLACE, { value: { of, index } satisfies Place, configurable: true }));
}

function placeOf(item: object): Place | undefined {
  return (item as { [PLACE]?: Place })[PLACE];
}

/** Whether the selection below a field depends on the request's variables or directives (then no item takes part). */
function dependsOnRequest(info: GraphQLResolveInfo): boolean {
  let depends = false;
  const seen = new Set<string>();
  const walk = (node: Parameters<typeof visit>[0]) =>
    visit(node, {
      enter(visited) {
        if (visited.kind === Kind.VARIABLE || visited.kind === Kind.DIRECTIVE) depends = true;
        else if (visited.kind === Kind.FRAGMENT_SPREAD && !seen.has(visited.name.value)) {
          seen.add(visited.name.value);
          const fragment = info.fragments[visited.name.value];
          if (fragment) walk(fragment);
        }
        return depends ? BREAK : undefined;
      },
    });
  for (const node of info.fieldNodes) if (node.selectionSet && !depends) walk(node.selectionSet);
  return depends;
}

/**
 * A field's list of kept items (keepItemBytes) as the execution should complete it: empty when every item has
 * a text written for the same role, document text, operation and place in the answer (the hooks then send the
 * texts joined as the list's bytes); otherwise the list itself, whose items' texts the hooks keep. For lists
 * made anew per request from kept objects (a filter of a kept network), which keptAnswerList's identity
 * never finds again. Only in queries, for a field not below a list whose selection uses no variables or
 * directives; a list with an item not registered is left as it is.
 */
export function keptItemList<T extends object>(request: AuthenticatedRequest | undefined, info: GraphQLResolveInfo, list: T[]): T[] {
  const place = keptPlace(request, info);
  if (place === undefined || list.length === 0 || !list.every((item) => placeOf(item) !== undefined)) return list;
  const { role, path, source } = place;
  const key = JSON.stringify([role, info.operation.name?.value ?? null, source, path]);
  let selection = selectionIds.get(key);
  if (selection === undefined) {
    if (selectionIds.size >= 1_000) selectionIds.clear();
    // Whether the selection uses variables or directives is a property of the key's text: walked once.
    selectionIds.set(key, (selection = dependsOnRequest(info) ? null : ++lastSelection));
  }
  if (selection === null) return list;
  const texts: string[] = [];
  for (const item of list) {
    const { of, index } = placeOf(item) as Place;
    const text = of.texts.get(selection)?.[index];
    if (text === undefined) break;
    texts.push(text);
  }
  const lists = pendingLists(place.request);
  const hole = `${HOLE}${lists.length}`;
  if (texts.length === list.length) {
    lists.push({ path, key, hole, send: listBytes(texts) });
    return [];
  }
  lists.push({ path, key, hole, items: { of: list, selection } });
  return list;
}

/** Characters of a list's text per piece of bytes: a young string each, where one text of a 10,000-item list went to the old space. */
const PIECE_CHARS = 32 * 1024;

/** A JSON list of item texts as bytes, in pieces of about PIECE_CHARS. */
function listBytes(texts: readonly string[]): Buffer[] {
  const pieces = [Buffer.from('[')];
  let from = 0;
  let chars = 0;
  for (let i = 0; i < texts.length; i++) {
    chars += texts[i].length + 1;
    if (chars >= PIECE_CHARS || i === texts.length - 1) {
      pieces.push(Buffer.from(`${from === 0 ? '' : ','}${texts.slice(from, i + 1).join(',')}`));
      from = i + 1;
      chars = 0;
    }
  }
  pieces.push(Buffer.from(']'));
  return pieces;
}

/** The JSON text of a written list of kept items, each item's text kept for its selection. */
function writeItems(written: unknown[], { of: items, selection }: NonNullable<Pending['items']>, keep: boolean): Buffer[] {
  const texts = written.map((value) => JSON.stringify(value));
  if (keep) {
    items.forEach((item, i) => {
      const { of, index } = placeOf(item) as Place;
      let kept = of.texts.get(selection);
      if (kept === undefined) {
        if (of.texts.size >= ITEM_SELECTIONS) of.texts.delete(of.texts.keys().next().value as number);
        of.texts.set(selection, (kept = new Array<string>(of.size)));
      }
      kept[index] = texts[i];
    });
  }
  return listBytes(texts);
}

/** Behind the guards: a root field's list goes through keptAnswerList. */
@Injectable()
class KeptAnswerBytesInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const gql = GqlExecutionContext.create(context);
    const request = gql.getContext<{ req?: AuthenticatedRequest }>().req;
    return next.handle().pipe(map((value: unknown) => (Array.isArray(value) ? keptAnswerList(request, gql.getInfo<GraphQLResolveInfo>(), value) : value)));
  }
}

/**
 * Opts a list-valued query field into kept answer bytes: for a resolver that returns the same list object
 * while its answer holds (a kept answer, e.g. AsOfAnswers), a request answered by that field alone is sent
 * the bytes written for the same role, document, operation and variables from that list. Requires
 * `keepAnswerBytes` on the server. Only for fields whose answer depends on nothing else (no per-caller rows).
 */
export const KeptAnswerBytes = () => UseInterceptors(KeptAnswerBytesInterceptor);

/**
 * The server's half (register before other onSend hooks that change the payload). Before serialization each
 * kept list still in the answer (an error may have nulled a parent) gives way to its hole, and a written list
 * is taken out to be kept if the answer has no errors; after it, each hole is filled with the list's bytes,
 * kept or written now. JSON.stringify of a part is the route serializer's text of that part (its `data` is
 * one JSON.stringify), so the answer's bytes are those it would have had.
 */
export function keepAnswerBytes(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('preSerialization', (request, _reply, payload: { data?: unknown; errors?: unknown }, done) => {
    const lists = pending.get(request);
    if (lists) {
      pending.set(
        request,
        lists.filter((list) => {
          const parent = list.path.slice(0, -1).reduce<unknown>((value, key) => (value as Record<string, unknown> | null)?.[key], payload.data) as Record<string, unknown> | null;
          const key = list.path[list.path.length - 1];
          if (!Array.isArray(parent?.[key]) || (list.send === undefined && payload.errors !== undefined)) return false;
          if (list.send === undefined) list.write = parent[key];
          parent[key] = list.hole;
          return true;
        }),
      );
    }
    done(null, payload);
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const lists = pending.get(request);
    if (!lists?.length || typeof payload !== 'string') return done(null, payload);
    const parts: Buffer[] = [];
    let from = 0;
    const holes = lists.map((list) => {
      const text = JSON.stringify(list.hole);
      return { list, text, at: payload.indexOf(text) };
    });
    // Only an answer not serialized from the execution's result (none is known) would lack its holes.
    for (const { list, text, at } of holes.filter(({ at }) => at >= 0).sort((a, b) => a.at - b.at)) {
      let bytes: Buffer | Buffer[] | undefined = list.send;
      if (bytes !== undefined) metrics.keptAnswerBytes.inc({ outcome: 'sent' });
      else if (list.items) {
        bytes = writeItems(list.write as unknown[], list.items, reply.statusCode === 200);
        if (reply.statusCode === 200) metrics.keptAnswerBytes.inc({ outcome: 'kept' });
      } else {
        bytes = Buffer.from(JSON.stringify(list.write));
        if (reply.statusCode === 200) {
          answers.set(list.key, bytes);
          metrics.keptAnswerBytes.inc({ outcome: 'kept' });
        }
      }
      parts.push(Buffer.from(payload.slice(from, at)), ...(Array.isArray(bytes) ? bytes : [bytes]));
      from = at + text.length;
    }
    parts.push(Buffer.from(payload.slice(from)));
    // The parts as they are, not copied into one Buffer (11.7 MB for a residency report), with their length.
    void reply.header('content-length', String(parts.reduce((length, part) => length + part.length, 0)));
    done(null, Readable.from(parts, { objectMode: false }));
  });
}
