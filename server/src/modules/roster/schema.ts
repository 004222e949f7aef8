import { Type, type Static } from 'typebox';
import { LAWFUL_BASES } from '../../db/tables.js';
import { Nullable, StringEnum } from '../../lib/schema.js';
import { ResidentListQuery } from '../residents/schema.js';
import { MAPPING_TARGETS } from './fields.js';

export const IMPORT_MODES = ['valid_only', 'all_or_nothing'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const ImportQuery = Type.Object(
  {
    /** true (the default): check only, write nothing. */
    dryRun: Type.Optional(Type.Boolean({ default: true })),
    /** Required when dryRun=false. */
    mode: Type.Optional(StringEnum(IMPORT_MODES)),
    /** Why the station may process these people's data; rosters come from civil-affairs duty lists. */
    lawfulBasis: Type.Optional(StringEnum(LAWFUL_BASES)),
    /** JSON object {header text: field or null}; may also be sent as a multipart field before the file. */
    mapping: Type.Optional(Type.String({ maxLength: 4000 })),
    /** The village of rows whose village cell is empty (rosters kept per village often have no such column). */
    villageId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ImportQueryT = Static<typeof ImportQuery>;

const Issue = Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() });

export const ImportColumn = Type.Object({
  index: Type.Integer(),
  header: Type.String(),
  target: Nullable(StringEnum(MAPPING_TARGETS)),
  auto: Type.Boolean(),
  /** Why a known column is not imported: notes (备注), derived (年龄), numbering (序号), household. */
  ignored: Nullable(Type.String()),
});

export const ImportResult = Type.Object({
  dryRun: Type.Boolean(),
  mode: Nullable(StringEnum(IMPORT_MODES)),
  fileName: Type.String(),
  sha256: Type.String(),
  format: StringEnum(['xlsx', 'csv'] as const),
  /** For CSV: how the bytes were decoded (utf-8, or gb18030 for files saved by Excel in Chinese). */
  encoding: Nullable(Type.String()),
  sheetName: Nullable(Type.String()),
  /** Excel row number of the header row (1 unless a title row sits above it). */
  headerRow: Type.Integer(),
  columns: Type.Array(ImportColumn),
  /** Data rows (blank rows not counted). */
  rows: Type.Integer(),
  /** Rows without problems: new ones plus those already registered. */
  valid: Type.Integer(),
  /** Valid rows that are new (would be / were created). */
  newRows: Type.Integer(),
  /** Rows of people already registered, or repeated in the file: skipped, not errors. */
  alreadyRegistered: Type.Integer(),
  /** Rows with at least one problem. */
  invalid: Type.Integer(),
  problems: Type.Array(Issue),
  warnings: Type.Array(Issue),
  skipped: Type.Array(Type.Object({ row: Type.Integer(), message: Type.String() })),
  /** true when a list above was cut at 2,000 entries; the problems workbook has them all. */
  truncated: Type.Boolean(),
  /** First rows as the mapping reads them, sensitive columns masked. */
  preview: Type.Array(Type.Object({ row: Type.Integer(), cells: Type.Array(Type.String()) })),
  /** On commit: residents created. */
  created: Type.Integer(),
});
export type ImportResultView = Static<typeof ImportResult>;

export const ProgressParams = Type.Object({ importId: Type.String({ pattern: '^[A-Za-z0-9-]{8,64}$' }) }, { additionalProperties: false });
export const ProgressResponse = Type.Object({
  phase: StringEnum(['reading', 'checking', 'writing', 'done', 'failed'] as const),
  done: Type.Integer(),
  total: Type.Integer(),
});

const { limit: _limit, cursor: _cursor, ...filters } = ResidentListQuery.properties;
export const ExportQuery = Type.Object(
  {
    ...filters,
    format: Type.Optional(StringEnum(['xlsx'] as const)),
    /** Clear ID numbers, phones and addresses, where this user may reveal them; needs `reason`. */
    reveal: Type.Optional(Type.Boolean()),
    reason: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type ExportQueryT = Static<typeof ExportQuery>;
