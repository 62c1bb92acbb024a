import type { protocol as PgliteProtocol } from '@electric-sql/pglite';

type DatabaseErrorClass = typeof PgliteProtocol.messages.DatabaseError;
type DatabaseError = InstanceType<DatabaseErrorClass>;
type Parser = (value: string, typeId: number) => unknown;

/** One statement's outcome as PGlite's parseResults gives it (the fields this client reads). */
export interface WireResult {
  rows: Record<string, unknown>[];
  /** Fields of a result set; empty for a statement without one. */
  fieldCount: number;
  command: string | undefined;
  /** Rows inserted, updated, deleted, copied or merged by this and the earlier statements of the message. */
  affectedRows: number;
}

export interface WireAnswer {
  results: WireResult[];
  /** The first error; PGlite's execProtocol then ignores every later message, notifications included. */
  error: DatabaseError | undefined;
}

const decoder = new TextDecoder();

/**
 * Reads PGlite's answer to one protocol message straight from the bytes it wrote, with the same results as
 * PGlite's own execProtocol and parseResults: PGlite's parser copies the whole answer, then each field into an
 * ArrayBuffer of its own before decoding it, and builds a message object per row (a tenth of the service's
 * CPU under the command load). Values are decoded with the client's `parsers` as parseResults does; a
 * notification goes to `notify` unless an error came before it (as PGlite's listeners get it).
 */
export function readWireAnswer(
  bytes: Uint8Array,
  parsers: Record<number, Parser | undefined>,
  DatabaseErrorClass: DatabaseErrorClass,
  notify: (channel: string, payload: string) => void,
): WireAnswer {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const results: WireResult[] = [];
  let error: DatabaseError | undefined;
  let names: string[] = [];
  let typeIds: number[] = [];
  let rows: Record<string, unknown>[] = [];
  let affectedRows = 0;
  let offset = 0;
  const cstring = (): string => {
    const end = bytes.indexOf(0, offset);
    const text = decoder.decode(bytes.subarray(offset, end));
    offset = end + 1;
    return text;
  };
  while (offset + 5 <= bytes.length) {
    const type = bytes[offset];
    const length = view.getUint32(offset + 1);
    const next = offset + 1 + length;
    offset += 5;
    if (error === undefined) {
      switch (type) {
        case 0x54: {
          // RowDescription: name, table oid, column, type oid, type size, type modifier, format.
          const count = view.getUint16(offset);
          offset += 2;
          names = new Array<string>(count);
          typeIds = new Array<number>(count);
          for (let i = 0; i < count; i++) {
            names[i] = cstring();
            typeIds[i] = view.getInt32(offset + 6);
            offset += 18;
          }
          break;
        }
        case 0x44: {
          // DataRow: text values (Bind asks for text results).
          const count = view.getInt16(offset);
          offset += 2;
          const row: Record<string, unknown> = {};
          for (let i = 0; i < count; i++) {
            const size = view.getInt32(offset);
            offset += 4;
            if (size === -1) {
              row[names[i]] = null;
            } else {
              const text = decoder.decode(bytes.subarray(offset, offset + size));
              offset += size;
              const parse = parsers[typeIds[i]];
              row[names[i]] = parse ? parse(text, typeIds[i]) : text;
            }
          }
          rows.push(row);
          break;
        }
        case 0x43: {
          // CommandComplete: "INSERT 0 3", "UPDATE 2", "SELECT 5", "BEGIN", ...
          const tag = cstring();
          const words = tag.split(' ');
          const command = words[0];
          const count = parseInt(words[words.length - 1], 10);
          if (command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'COPY' || command === 'MERGE') affectedRows += count;
          results.push({ rows, fieldCount: names.length, command, affectedRows });
          names = [];
          typeIds = [];
          rows = [];
          break;
        }
        case 0x45:
          error = readError(bytes, offset, next, length, DatabaseErrorClass);
          break;
        case 0x41: {
          // NotificationResponse: process id, channel, payload.
          offset += 4;
          const channel = cstring();
          notify(channel, cstring());
          break;
        }
        default:
        // ParseComplete, BindComplete, NoData, ReadyForQuery, notices, ...: nothing to keep.
      }
    }
    offset = next;
  }
  if (results.length === 0) results.push({ rows: [], fieldCount: 0, command: undefined, affectedRows: 0 });
  return { results, error };
}

/** An ErrorResponse as pg-protocol (inside PGlite) makes it: the same class and fields. */
function readError(bytes: Uint8Array, start: number, end: number, length: number, DatabaseErrorClass: DatabaseErrorClass): DatabaseError {
  const fields: Record<string, string> = {};
  let offset = start;
  while (offset < end && bytes[offset] !== 0) {
    const code = String.fromCharCode(bytes[offset]);
    const stop = bytes.indexOf(0, offset + 1);
    fields[code] = decoder.decode(bytes.subarray(offset + 1, stop));
    offset = stop + 1;
  }
  const error = new DatabaseErrorClass(fields.M, length, 'error');
  error.severity = fields.S;
  error.code = fields.C;
  error.detail = fields.D;
  error.hint = fields.H;
  error.position = fields.P;
  error.internalPosition = fields.p;
  error.internalQuery = fields.q;
  error.where = fields.W;
  error.schema = fields.s;
  error.table = fields.t;
  error.column = fields.c;
  error.dataType = fields.d;
  error.constraint = fields.n;
  error.file = fields.F;
  error.line = fields.L;
  error.routine = fields.R;
  return error;
}
