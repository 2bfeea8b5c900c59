import { HttpException } from '@nestjs/common';
import { validate } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { FieldError, flattenValidationErrors } from './errors';

/** A row of an imported file that was not written, with why. */
export interface ImportRejection {
  /** 1-based line of the file where the record starts (the header is line 1) */
  line: number;
  field: string;
  reason: string;
}

export interface ImportResult {
  imported: number;
  rejected: ImportRejection[];
}

export interface CsvRecord {
  cells: string[];
  /** where the record starts in the file */
  line: number;
}

const MESSAGES: Record<number, string> = {
  400: 'validation failed',
  409: 'conflicts with existing records',
  422: 'refers to records that do not exist or do not fit',
};

/** The platform's problem shape: `{ statusCode, message, errors: [{ field, reason }] }`. */
export function problemException(status: number, errors: FieldError[], message = MESSAGES[status] ?? 'request failed'): HttpException {
  return new HttpException({ statusCode: status, message, errors }, status);
}

/** Parses a CSV body into records with the line each starts on; unreadable CSV is a 400 naming the body. */
export function readCsv(csv: string): CsvRecord[] {
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    parsed = parse(csv, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as typeof parsed;
  } catch (e) {
    throw problemException(400, [{ field: '(body)', reason: `not readable as CSV: ${e instanceof Error ? e.message : String(e)}` }]);
  }
  // `info.lines` is where the record ends: step back over line breaks inside quoted cells
  return parsed.map(({ record, info }) => ({
    cells: record,
    line: info.lines - record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0),
  }));
}

/** The header row must name only `allowed` columns, each once, and every `required` one; else a 400 naming each. */
export function checkCsvHeader(header: string[] | undefined, allowed: string[], required: string[]): string[] {
  if (!header) throw problemException(400, [{ field: '(header)', reason: `the file is empty: line 1 must name the columns` }]);
  const errors = header.flatMap((col, i) => {
    if (!allowed.includes(col)) {
      return [{ field: col || `(column ${i + 1})`, reason: `unknown column ${JSON.stringify(col)}; columns are ${allowed.join(', ')}` }];
    }
    if (header.indexOf(col) !== i) return [{ field: col, reason: `column ${col} appears twice` }];
    return [];
  });
  for (const col of required) if (!header.includes(col)) errors.push({ field: col, reason: `the header has no column ${col}` });
  if (errors.length) throw problemException(400, errors, 'the header row does not fit');
  return header;
}

const BOOLEANS: Record<string, boolean> = { true: true, false: false, yes: true, no: false, y: true, n: false, '1': true, '0': false };

export interface CsvRowOptions {
  /** columns read as yes/no (true/false, y/n, 1/0); an unreadable value is left for the DTO to refuse */
  booleans?: readonly string[];
  /** columns holding several values separated by `|` (e.g. compatible models) */
  lists?: readonly string[];
  /** columns read as numbers; an unreadable value is left for the DTO to refuse */
  numbers?: readonly string[];
}

/**
 * Each data row through a create DTO's class-validator rules: a valid DTO with its line, or a
 * rejection naming the line, the first failing field and why. Empty cells are absent values.
 */
export async function validateCsvRows<T extends object>(
  records: CsvRecord[],
  header: string[],
  dto: new () => T,
  o: CsvRowOptions = {},
): Promise<{ valid: Array<{ line: number; dto: T }>; rejected: ImportRejection[] }> {
  const valid: Array<{ line: number; dto: T }> = [];
  const rejected: ImportRejection[] = [];
  for (const { cells, line } of records) {
    if (cells.length > header.length) {
      rejected.push({ line, field: '(row)', reason: `${cells.length} cells, but the header names ${header.length} columns` });
      continue;
    }
    const plain: Record<string, unknown> = {};
    header.forEach((col, i) => {
      const v = cells[i];
      if (v === undefined || v === '') return; // an empty cell is an absent value
      plain[col] = cellValue(col, v, o);
    });
    // cells are plain strings (no nested types): assigning is 10x faster than class-transformer
    const candidate = Object.assign(new dto(), plain);
    const errors = flattenValidationErrors(await validate(candidate, { whitelist: true, forbidNonWhitelisted: true }));
    const [first] = errors;
    if (first) rejected.push({ line, ...first });
    else valid.push({ line, dto: candidate });
  }
  return { valid, rejected };
}

function cellValue(col: string, v: string, o: CsvRowOptions): unknown {
  if (o.booleans?.includes(col) && v.toLowerCase() in BOOLEANS) return BOOLEANS[v.toLowerCase()];
  if (o.lists?.includes(col))
    return v
      .split('|')
      .map((x) => x.trim())
      .filter(Boolean);
  if (o.numbers?.includes(col) && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}
