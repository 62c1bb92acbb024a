import { parse } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { numericFields, procurementKind } from '../../procurement';
import { UsageError } from './import-args.util';

/** A column is a field name, or `money.amount` / `money.currency` for a nested Money field. */
const COLUMN = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** Reads the procurement records of a .csv or .json file; any problem with the file is a UsageError. */
export async function readRecordFile(path: string): Promise<Record<string, unknown>[]> {
  const type = extname(path).toLowerCase();
  if (type !== '.csv' && type !== '.json') throw new UsageError(`${path}: expected a .csv or .json file`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return type === '.csv' ? csvRecords(text, path) : jsonRecords(text, path);
}

/** Header row names the fields; `#` lines are comments; empty cells are absent fields. */
export function csvRecords(text: string, path = 'CSV'): Record<string, unknown>[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, trim: true, skip_empty_lines: true, comment: '#', comment_no_infix: true });
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
  if (rows.length === 0) throw new UsageError(`${path}: no header row`);
  const [header, ...body] = rows;
  checkHeader(header, path);
  return body.map((cells) => csvRecord(header, cells));
}

function checkHeader(header: string[], path: string): void {
  const seen = new Set<string>();
  for (const column of header) {
    if (!COLUMN.test(column)) throw new UsageError(`${path}: column "${column}" is not a field name (nested money fields are written like monthlyCost.amount)`);
    if (seen.has(column)) throw new UsageError(`${path}: column "${column}" appears twice`);
    seen.add(column);
  }
  const clash = header.find((column) => column.includes('.') && seen.has(column.split('.')[0]));
  if (clash) throw new UsageError(`${path}: columns "${clash.split('.')[0]}" and "${clash}" cannot both be present`);
}

function csvRecord(header: string[], cells: string[]): Record<string, unknown> {
  const kind = procurementKind(cells[header.indexOf('kind')]);
  const numeric = kind ? numericFields(kind) : new Set<string>();
  const record: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const cell = cells[i];
    if (cell === '') return;
    const [field, nested] = column.split('.');
    if (nested === undefined) {
      record[field] = numeric.has(field) && NUMBER.test(cell) ? Number(cell) : cell;
    } else {
      const money = (record[field] ??= {}) as Record<string, unknown>;
      money[nested] = cell;
    }
  });
  return record;
}

/** `{ "records": [...] }` or a bare array of record objects. */
export function jsonRecords(text: string, path = 'JSON'): Record<string, unknown>[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const records = Array.isArray(value) ? value : (value as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) throw new UsageError(`${path} must hold {"records": [...]} or an array of records`);
  const bad = records.findIndex((r) => typeof r !== 'object' || r === null || Array.isArray(r));
  if (bad >= 0) throw new UsageError(`${path}: record ${bad + 1} is not a JSON object`);
  return records as Record<string, unknown>[];
}
