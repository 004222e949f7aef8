import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { LawfulBasis } from '../../db/tables.js';
import { LAWFUL_BASES } from '../../db/tables.js';
import { writeAudit } from '../../lib/audit.js';
import type { App } from '../../lib/deps.js';
import { AppError, badRequest, forbidden, unprocessable } from '../../lib/errors.js';
import { fieldMessage, type Locale } from '../../lib/i18n.js';
import { dateInTimeZone } from '../../lib/identity.js';
import { allow } from '../../lib/policy.js';
import { errors } from '../../lib/schema.js';
import { residentScope, revealableFields } from '../residents/access.js';
import { isDuplicateIdError } from '../residents/residents.js';
import { exportRows, MAX_EXPORT_ROWS, writeExport } from './exporter.js';
import { SINGLE_FIELDS, isMappingTarget, type MappingTarget } from './fields.js';
import { analyse, insertRows, previewRows, sortOutRegistered, villagesInScope, type Analysis, type OkRow, type Sorted } from './importer.js';
import { getProgress, setProgress, type ImportPhase } from './progress.js';
import type { RowIssue } from './rows.js';
import { ExportQuery, ImportQuery, ImportResult, ProgressParams, ProgressResponse, type ImportMode, type ImportResultView } from './schema.js';
import { MAX_BYTES, MAX_ROWS, SheetError } from './sheet.js';
import { XLSX_MIME, attachment, problemsWorkbook, templateWorkbook } from './workbooks.js';

const tags = ['residents'];
// The same roles as the resident list: county supervisors and volunteers get 403, as for the list.
const policy = allow('residents');
/** Longest list a JSON answer carries; the problems workbook has every entry. */
const LIST_CAP = 2000;

interface Upload {
  bytes: Buffer;
  fileName: string;
  fields: Record<string, string>;
}

const FILE_MESSAGES: Record<string, Record<Locale, string>> = {
  required: { 'zh-CN': '请选择要导入的 .xlsx 或 .csv 文件', en: 'Choose an .xlsx or .csv file to import' },
  empty: { 'zh-CN': '文件是空的', en: 'The file is empty' },
  too_many_rows: { 'zh-CN': `一次最多导入 ${MAX_ROWS.toLocaleString('en')} 行，请拆分文件`, en: `At most ${MAX_ROWS.toLocaleString('en')} rows per import; split the file` },
  mapping: { 'zh-CN': '列对应关系格式不正确', en: 'The column mapping is not valid' },
  mapping_twice: { 'zh-CN': '同一个字段只能对应一列：', en: 'A field can come from one column only: ' },
};

/** The multipart body: the `file` part, and text fields (mapping, lawfulBasis, villageId) before or after it. */
async function readUpload(req: FastifyRequest): Promise<Upload> {
  const required = () => badRequest('validation_failed', { file: FILE_MESSAGES.required![req.locale] });
  if (!req.isMultipart()) throw required();
  const fields: Record<string, string> = {};
  let file: { bytes: Buffer; fileName: string } | null = null;
  try {
    for await (const part of req.parts({ limits: { fileSize: MAX_BYTES, files: 1 } })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'file') file = { bytes, fileName: part.filename || 'roster' };
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') throw new AppError(413, 'payload_too_large');
    throw err;
  }
  if (!file) throw required();
  if (file.bytes.length === 0) throw badRequest('validation_failed', { file: FILE_MESSAGES.empty![req.locale] });
  return { ...file, fields, fileName: file.fileName.slice(0, 200) };
}

/** `{"姓名":"name","备注":null}` → the user's corrections, every target checked. */
function parseMapping(text: string | undefined, locale: Locale): Record<string, MappingTarget | null> {
  if (!text) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw badRequest('validation_failed', { mapping: FILE_MESSAGES.mapping![locale] });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('validation_failed', { mapping: FILE_MESSAGES.mapping![locale] });
  const out: Record<string, MappingTarget | null> = {};
  const seen = new Set<MappingTarget>();
  for (const [header, target] of Object.entries(raw)) {
    if (target !== null && target !== '' && !isMappingTarget(target)) {
      throw badRequest('validation_failed', { mapping: `${FILE_MESSAGES.mapping![locale]}: ${header} → ${String(target)}` });
    }
    const t = target === '' ? null : (target as MappingTarget | null);
    if (t && SINGLE_FIELDS.has(t)) {
      if (seen.has(t)) throw badRequest('validation_failed', { mapping: `${FILE_MESSAGES.mapping_twice![locale]}${t}` });
      seen.add(t);
    }
    out[header] = t;
  }
  return out;
}

const cap = <T>(xs: T[]) => xs.slice(0, LIST_CAP);

function summary(a: Analysis, sorted: Sorted, meta: { fileName: string; sha256: string; dryRun: boolean; mode: ImportMode | null; created: number }): ImportResultView {
  const problems: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  // Within a row, in the order of the columns, as the worker reads the sheet.
  const position = new Map(a.columns.map((c) => [c.header, c.index]));
  const byColumn = (x: RowIssue, y: RowIssue) => (position.get(x.column) ?? 1e6) - (position.get(y.column) ?? 1e6);
  for (const c of a.checks) {
    if (!c.ok) problems.push(...[...c.problems].sort(byColumn));
    warnings.push(...c.warnings);
  }
  const invalid = a.checks.filter((c) => !c.ok).length;
  return {
    dryRun: meta.dryRun,
    mode: meta.mode,
    fileName: meta.fileName,
    sha256: meta.sha256,
    format: a.format,
    encoding: a.encoding,
    sheetName: a.grid.sheetName,
    headerRow: a.headerIndex + 1,
    columns: a.columns,
    rows: a.checks.length,
    valid: a.checks.length - invalid,
    newRows: sorted.create.length,
    alreadyRegistered: sorted.skipped.length,
    invalid,
    problems: cap(problems),
    warnings: cap(warnings),
    skipped: cap(sorted.skipped),
    truncated: problems.length > LIST_CAP || warnings.length > LIST_CAP || sorted.skipped.length > LIST_CAP,
    preview: previewRows(a),
    created: meta.created,
  };
}

export async function rosterRoutes(app: App): Promise<void> {
  const { db, clock, keys } = app.xq;

  /** Everything the import, its dry run and the problems workbook share: read, map, check, sort out the known. */
  async function prepare(req: FastifyRequest, query: { mapping?: string; lawfulBasis?: LawfulBasis; villageId?: string }, importId: string | null) {
    const upload = await readUpload(req);
    const userId = req.auth!.user.id;
    const mapping = parseMapping(upload.fields.mapping ?? query.mapping, req.locale);
    const lawfulBasis = (upload.fields.lawfulBasis ?? query.lawfulBasis ?? 'statutory_duty') as LawfulBasis;
    if (!LAWFUL_BASES.includes(lawfulBasis)) throw badRequest('validation_failed', { lawfulBasis: fieldMessage('not_allowed_value', req.locale) });
    const villageId = upload.fields.villageId || query.villageId || null;
    const scope = residentScope(req.auth!.principal);
    if (villageId && !(await villagesInScope(db, scope)).some((v) => v.id === villageId)) {
      throw badRequest('validation_failed', { villageId: fieldMessage('unknown_village', req.locale) });
    }
    const progress = (phase: ImportPhase, done: number, total: number) => setProgress(userId, importId, { phase, done, total });
    let a: Analysis;
    try {
      a = await analyse(db, scope, upload.bytes, { mapping, defaultVillageId: villageId, lawfulBasis, locale: req.locale, now: clock.now(), progress });
    } catch (e) {
      progress('failed', 0, 0);
      if (e instanceof SheetError) {
        if (e.problem === 'invalid_file') throw badRequest('invalid_file');
        throw badRequest('validation_failed', { file: FILE_MESSAGES[e.problem === 'no_header' ? 'empty' : e.problem]![req.locale] });
      }
      throw e;
    }
    const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
    return { upload, a, sha256, progress, scope };
  }

  const importIdOf = (req: FastifyRequest): string | null => {
    const h = req.headers['x-import-id'];
    return typeof h === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(h) ? h : null;
  };

  app.post(
    '/import',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'Import a roster (.xlsx or .csv, multipart field `file`): dryRun=true checks every row; dryRun=false&mode=valid_only|all_or_nothing writes',
        description:
          'Optional multipart fields (or query parameters): `mapping` (JSON {header: field|null} correcting the automatic column mapping), `lawfulBasis` (default statutory_duty), `villageId` (for rows without a village). Header `X-Import-Id` lets GET /import/progress/:importId follow a large import.',
        consumes: ['multipart/form-data'],
        querystring: ImportQuery,
        response: { 200: ImportResult, ...errors, 413: errors[400] },
      },
    },
    async (req) => {
      const q = req.query;
      const dryRun = q.dryRun !== false;
      if (!dryRun && !q.mode) throw badRequest('validation_failed', { mode: fieldMessage('required', req.locale) });
      const importId = importIdOf(req);
      const { upload, a, sha256, progress } = await prepare(req, q, importId);
      const oks = a.checks.filter((c): c is OkRow => c.ok);
      const meta = { fileName: upload.fileName, sha256, dryRun, mode: dryRun ? null : (q.mode ?? null) };
      if (dryRun) {
        const sorted = await sortOutRegistered(db, keys, oks, req.locale);
        progress('done', a.checks.length, a.checks.length);
        return summary(a, sorted, { ...meta, created: 0 });
      }
      const invalid = a.checks.length - oks.length;
      if (q.mode === 'all_or_nothing' && invalid > 0) {
        progress('failed', 0, 0);
        const sorted = await sortOutRegistered(db, keys, oks, req.locale);
        throw unprocessable('import_has_problems', { result: summary(a, sorted, { ...meta, created: 0 }) });
      }
      const now = clock.now();
      const actorId = req.auth!.user.id;
      progress('writing', 0, oks.length);
      let result: { sorted: Sorted; created: number };
      try {
        // One transaction for the whole file: an import either lands with its audit entry or not at
        // all, and a second run after a crash simply skips what is there. On SQLite it holds the
        // write lock for the insert phase (about a second per 10,000 rows, bench/import.ts).
        result = await db.transaction().execute(async (trx) => {
          // Sorted again inside the write transaction, so nobody registers the same person in between.
          const sorted = await sortOutRegistered(trx, keys, oks, req.locale);
          const ids = await insertRows(trx, keys, sorted.create, { actorId, now, fileName: upload.fileName, progress: (done, total) => progress('writing', done, total) });
          const stations = [...new Set(sorted.create.map((r) => r.stationId))];
          await writeAudit(
            trx,
            req.actor(),
            {
              action: 'resident.import',
              result: 'ok',
              entityType: 'resident_import',
              entityId: importId,
              stationId: stations.length === 1 ? stations[0] : null,
              // Counts and the file's fingerprint only: never the rows themselves.
              detail: { fileName: upload.fileName, sha256, format: a.format, mode: q.mode, lawfulBasis: oks[0]?.values.lawfulBasis ?? null, rows: a.checks.length, created: ids.length, alreadyRegistered: sorted.skipped.length, invalid },
            },
            now,
          );
          return { sorted, created: ids.length };
        });
      } catch (e) {
        progress('failed', 0, 0);
        // Someone registered one of these people between the check and the insert: nothing was written.
        if (isDuplicateIdError(e)) throw new AppError(409, 'duplicate_resident');
        throw e;
      }
      progress('done', result.created, result.created);
      return summary(a, result.sorted, { ...meta, created: result.created });
    },
  );

  app.post(
    '/import/problems.xlsx',
    {
      config: { policy },
      schema: {
        tags,
        summary: 'The uploaded roster with a 问题 (problems) column: bad cells red, warnings yellow; fix and upload again',
        consumes: ['multipart/form-data'],
        querystring: Type.Omit(ImportQuery, ['dryRun', 'mode']),
        produces: [XLSX_MIME],
        response: { 200: Type.Unknown({ description: 'An .xlsx workbook' }), ...errors, 413: errors[400] },
      },
    },
    async (req, reply) => {
      const { upload, a } = await prepare(req, req.query, null);
      const sorted = await sortOutRegistered(db, keys, a.checks.filter((c): c is OkRow => c.ok), req.locale);
      const problems = a.checks.flatMap((c) => (c.ok ? [] : c.problems));
      const warnings = a.checks.flatMap((c) => c.warnings);
      const book = await problemsWorkbook(a, { problems, warnings, skipped: sorted.skipped }, req.locale);
      const base = upload.fileName.replace(/\.(xlsx|csv|txt)$/i, '');
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', attachment('roster-problems.xlsx', `${base}-问题.xlsx`))
        .header('cache-control', 'no-store')
        .send(book);
    },
  );

  app.get(
    '/import/template.xlsx',
    {
      config: { policy },
      schema: { tags, summary: 'An empty roster with the standard headers and one example row', produces: [XLSX_MIME], response: { 200: Type.Unknown({ description: 'An .xlsx workbook' }), ...errors } },
    },
    async (req, reply) => {
      const villages = await villagesInScope(db, residentScope(req.auth!.principal));
      const book = await templateWorkbook(req.locale, villages.sort((x, y) => x.code.localeCompare(y.code))[0]?.name ?? '上升村');
      return reply.header('content-type', XLSX_MIME).header('content-disposition', attachment('roster-template.xlsx', '服务对象名册模板.xlsx')).send(book);
    },
  );

  app.get(
    '/import/progress/:importId',
    {
      config: { policy },
      schema: { tags, summary: "Progress of the caller's running import (kept in this server process for 10 minutes)", params: ProgressParams, response: { 200: ProgressResponse, ...errors } },
    },
    async (req) => {
      const p = getProgress(req.auth!.user.id, req.params.importId);
      if (!p) throw new AppError(404, 'not_found', undefined, { entity: 'import' });
      return p;
    },
  );

  app.get(
    '/export',
    {
      config: { policy },
      schema: {
        tags,
        summary: `The filtered resident list as Excel (at most ${MAX_EXPORT_ROWS.toLocaleString('en')} rows): masked, or with reveal=true and a reason clear ID numbers, phones and addresses where the user may reveal them (audited)`,
        querystring: ExportQuery,
        produces: [XLSX_MIME],
        response: { 200: Type.Unknown({ description: 'An .xlsx workbook' }), ...errors },
      },
    },
    async (req, reply) => {
      const { format: _format, reveal: revealParam, reason, ...filters } = req.query;
      const reveal = revealParam === true;
      if (filters.ageMin !== undefined && filters.ageMax !== undefined && filters.ageMin > filters.ageMax) throw badRequest('validation_failed', { ageMax: 'invalid' });
      if (reveal && !reason?.trim()) throw badRequest('validation_failed', { reason: fieldMessage('required', req.locale) });
      const p = req.auth!.principal;
      const now = clock.now();
      const scope = residentScope(p);
      const auditFilters = { ...filters, q: filters.q ? '(search text)' : undefined };
      if (reveal && !p.assignments.some((a) => a.stationId && revealableFields(p, a.stationId).length > 0)) {
        await db.transaction().execute((trx) =>
          writeAudit(trx, req.actor(), { action: 'resident.export', result: 'denied', entityType: 'resident', reason: reason ?? null, detail: { reveal: true, filters: auditFilters } }, now),
        );
        throw forbidden();
      }
      const { rows, truncated } = await exportRows(db, keys, p, scope, filters, reveal, now);
      const revealed = rows.filter((r) => r.revealed).length;
      const stations = [...new Set(rows.map((r) => r.item.stationId))];
      // Recorded before a single row leaves the server: who exported how many, with which filters, and why clear values.
      await db.transaction().execute((trx) =>
        writeAudit(
          trx,
          req.actor(),
          {
            action: 'resident.export',
            result: 'ok',
            entityType: 'resident',
            stationId: filters.stationId ?? (stations.length === 1 ? stations[0] : null),
            field: reveal ? 'idNumber,phones,address' : null,
            reason: reveal ? reason!.trim() : null,
            detail: { rows: rows.length, revealedRows: revealed, truncated, filters: auditFilters },
          },
          now,
        ),
      );
      const today = dateInTimeZone(now);
      const note =
        req.locale === 'en'
          ? `Exported ${today} by ${req.auth!.user.display_name}${reveal ? ` with clear values (reason: ${reason!.trim()})` : ', sensitive values masked'}${truncated ? `; only the first ${MAX_EXPORT_ROWS} rows` : ''}. Personal information: keep safe, do not pass on.`
          : `${today} 由 ${req.auth!.user.display_name} 导出${reveal ? `，含明文（理由：${reason!.trim()}）` : '，敏感信息已脱敏'}${truncated ? `；仅含前 ${MAX_EXPORT_ROWS} 行` : ''}。含个人信息，请妥善保管，不得外传。`;
      const stream = writeExport(rows, req.locale, { note });
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', attachment(`residents-${today}.xlsx`, `服务对象名册-${today}${reveal ? '-明文' : ''}.xlsx`))
        .header('cache-control', 'no-store')
        .header('x-export-rows', String(rows.length))
        .header('x-export-truncated', truncated ? '1' : '0')
        .send(stream);
    },
  );
}
