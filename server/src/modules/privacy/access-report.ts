import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { DB, ResidentTable } from '../../db/tables.js';
import { decryptField, type KeyRing } from '../../lib/crypto.js';
import {
  APPOINTMENT_STATUS_ZH, AREA_ZH, BASIS_ZH, CATEGORY_ZH, CHANNEL_ZH, CHECK_VALUE_ZH, CHECKLIST_ZH, CONSULTATION_STATUS_ZH, DELETION_STATUS_ZH,
  EVENT_KIND_ZH, FEEDBACK_KIND_ZH, FEEDBACK_STATUS_ZH, FIELD_ZH, GENDER_ZH, METHOD_ZH, PHONE_RELATION_ZH, PURPOSE_ZH, RELATION_TO_HEAD_ZH,
  REQUEST_STATUS_ZH, RISK_FLAG_ZH, RISK_ZH, SERVICE_METHOD_ZH, STATUS_ZH, URGENCY_ZH, VISIT_MODE_ZH, label,
} from './labels.js';
import { deletionStatus } from './deletion.js';
import type { AccessReportView } from './schema.js';

/**
 * Everything the system holds about one person, with sensitive values in clear: this is their own
 * data being handed to them (PIPL Art. 45), so the route that calls this audits the reason.
 */
export async function buildAccessReport(
  db: Kysely<DB>,
  keys: KeyRing,
  r: ResidentTable,
  meta: { generatedAt: Date; generatedBy: string; reason: string },
): Promise<AccessReportView> {
  const clear = (v: string | null) => (v ? decryptField(keys, v) : null);
  const [station, village, guardian, phones, categories, consents, events, requests] = await Promise.all([
    db.selectFrom('stations').select(['id', 'name', 'operator_name']).where('id', '=', r.station_id).executeTakeFirstOrThrow(),
    db.selectFrom('villages').select('name').where('id', '=', r.village_id).executeTakeFirstOrThrow(),
    r.guardian_resident_id
      ? db.selectFrom('residents').select(['id', 'name']).where('id', '=', r.guardian_resident_id).executeTakeFirst()
      : Promise.resolve(undefined),
    db.selectFrom('resident_phones').select(['number_enc', 'relation']).where('resident_id', '=', r.id).orderBy('position').execute(),
    db.selectFrom('resident_categories').select('category').where('resident_id', '=', r.id).orderBy('category').execute(),
    db.selectFrom('consents').selectAll().where('resident_id', '=', r.id).orderBy('created_at').orderBy('id').execute(),
    db
      .selectFrom('resident_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_id')
      .select(['e.at', 'e.kind', 'e.field', 'e.old_value', 'e.new_value', 'u.display_name'])
      .where('e.resident_id', '=', r.id)
      .orderBy('e.id')
      .execute(),
    db
      .selectFrom('deletion_requests as d')
      .innerJoin('users as u', 'u.id', 'd.requested_by')
      .select(['d.id', 'd.reason', 'd.requested_at', 'd.rejected_at', 'd.rejected_reason', 'd.executed_at', 'u.display_name'])
      .where('d.resident_id', '=', r.id)
      .orderBy('d.requested_at')
      .execute(),
  ]);

  const service = await serviceHistory(db, r.id);

  let household: AccessReportView['household'] = null;
  if (r.household_id) {
    const [h, members] = await Promise.all([
      db.selectFrom('households').select(['id', 'address_enc']).where('id', '=', r.household_id).executeTakeFirstOrThrow(),
      db
        .selectFrom('residents')
        .select(['id', 'name', 'relation_to_head'])
        .where('household_id', '=', r.household_id)
        .where('id', '<>', r.id)
        .orderBy('name')
        .execute(),
    ]);
    household = {
      id: h.id,
      address: clear(h.address_enc),
      relationToHead: r.relation_to_head,
      members: members.flatMap((m) => (m.relation_to_head ? [{ id: m.id, name: m.name, relationToHead: m.relation_to_head }] : [])),
    };
  }

  const cert = clear(r.disability_cert_enc);
  return {
    generatedAt: meta.generatedAt.toISOString(),
    generatedBy: meta.generatedBy,
    reason: meta.reason,
    station: { id: station.id, name: station.name, operatorName: station.operator_name },
    profile: {
      id: r.id,
      name: r.name,
      gender: r.gender,
      birthDate: r.birth_date,
      idNumber: clear(r.id_number_enc),
      noIdReason: r.no_id_reason,
      villageName: village.name,
      address: clear(r.address_enc),
      healthNotes: clear(r.health_notes_enc),
      incomeNotes: clear(r.income_notes_enc),
      disabilityCertificate: cert,
      disabilityCategory: r.disability_category,
      disabilityGrade: r.disability_grade,
      guardian: guardian ? { id: guardian.id, name: guardian.name } : null,
      riskTier: r.risk_tier,
      lawfulBasis: r.lawful_basis,
      status: r.status,
      statusDate: r.status_date,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      anonymisedAt: r.anonymised_at,
    },
    phones: phones.map((p) => ({ number: decryptField(keys, p.number_enc), relation: p.relation })),
    categories: categories.map((c) => c.category),
    household,
    consents: consents.map((c) => ({
      id: c.id,
      purpose: c.purpose,
      givenBy: c.given_by,
      guardianName: c.guardian_name,
      guardianRelation: c.guardian_relation,
      method: c.method,
      hasDocument: c.document_id !== null,
      givenOn: c.given_on,
      expiresOn: c.expires_on,
      withdrawnAt: c.withdrawn_at,
      withdrawnReason: c.withdrawn_reason,
    })),
    events: events.map((e) => ({
      at: e.at,
      kind: e.kind,
      actorName: e.display_name ?? null,
      field: e.field,
      oldValue: e.old_value,
      newValue: e.new_value,
    })),
    deletionRequests: requests.map((d) => ({
      id: d.id,
      status: deletionStatus(d),
      reason: d.reason,
      requestedAt: d.requested_at,
      requestedBy: d.display_name,
      rejectedReason: d.rejected_reason,
      decidedAt: d.executed_at ?? d.rejected_at,
    })),
    ...service,
  };
}

type ServiceHistory = Pick<AccessReportView, 'appointments' | 'consultations' | 'serviceRequests' | 'visits' | 'serviceRecords' | 'ratings' | 'feedback'>;

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The person's appointments, consultations with every message, requests, visits, service records, ratings and feedback, oldest first. */
async function serviceHistory(db: Kysely<DB>, residentId: string): Promise<ServiceHistory> {
  const [appointments, consultations, messages, requests, visits, records, ratings, feedback] = await Promise.all([
    db
      .selectFrom('appointments as a')
      .innerJoin('service_types as st', 'st.id', 'a.service_type_id')
      .innerJoin('users as w', 'w.id', 'a.worker_id')
      .select(['a.id', 'st.name as service_name', 'w.display_name as worker_name', 'a.start_at', 'a.end_at', 'a.status', 'a.channel', 'a.note', 'a.cancel_reason', 'a.created_at'])
      .where('a.resident_id', '=', residentId)
      .orderBy('a.start_at')
      .orderBy('a.id')
      .execute(),
    db.selectFrom('consultations').selectAll().where('resident_id', '=', residentId).orderBy('created_at').orderBy('id').execute(),
    db
      .selectFrom('consultation_messages as m')
      .innerJoin('consultations as c', 'c.id', 'm.consultation_id')
      .innerJoin('users as u', 'u.id', 'm.author_id')
      .select(['m.consultation_id', 'm.created_at', 'm.author_side', 'm.body', 'u.display_name'])
      .where('c.resident_id', '=', residentId)
      .orderBy('m.created_at')
      .orderBy('m.id')
      .execute(),
    db
      .selectFrom('service_requests as q')
      .leftJoin('users as u', 'u.id', 'q.assignee_id')
      .selectAll('q')
      .select('u.display_name as assignee_name')
      .where('q.resident_id', '=', residentId)
      .orderBy('q.created_at')
      .orderBy('q.id')
      .execute(),
    db
      .selectFrom('visits as v')
      .innerJoin('users as u', 'u.id', 'v.worker_id')
      .selectAll('v')
      .select('u.display_name as worker_name')
      .where('v.resident_id', '=', residentId)
      .orderBy('v.visited_at')
      .orderBy('v.id')
      .execute(),
    db
      .selectFrom('service_records as s')
      .innerJoin('users as u', 'u.id', 's.worker_id')
      .leftJoin('service_types as st', 'st.id', 's.service_type_id')
      .select(['s.id', 'st.name as service_name', 'u.display_name as worker_name', 's.method', 's.start_at', 's.end_at', 's.place', 's.summary', 's.outcome'])
      .where('s.resident_id', '=', residentId)
      .orderBy('s.start_at')
      .orderBy('s.id')
      .execute(),
    db
      .selectFrom('ratings as g')
      .innerJoin('users as u', 'u.id', 'g.worker_id')
      .leftJoin('service_types as st', 'st.id', 'g.service_type_id')
      .select(['g.service_record_id', 'st.name as service_name', 'u.display_name as worker_name', 'g.score', 'g.comment', 'g.channel', 'g.created_at'])
      .where('g.resident_id', '=', residentId)
      .orderBy('g.created_at')
      .orderBy('g.id')
      .execute(),
    db.selectFrom('feedback_items').selectAll().where('resident_id', '=', residentId).orderBy('created_at').orderBy('id').execute(),
  ]);
  // A group session's co-leaders are named with its lead: the resident has a right to know everyone who served them.
  const coLeaders = new Map<string, string[]>();
  const co = await db
    .selectFrom('service_record_workers as srw')
    .innerJoin('service_records as s', 's.id', 'srw.service_record_id')
    .innerJoin('users as u', 'u.id', 'srw.user_id')
    .select(['srw.service_record_id', 'u.display_name'])
    .where('s.resident_id', '=', residentId)
    .orderBy('u.display_name')
    .execute();
  for (const r of co) coLeaders.set(r.service_record_id, [...(coLeaders.get(r.service_record_id) ?? []), r.display_name]);
  return {
    appointments: appointments.map((a) => ({
      id: a.id, serviceName: a.service_name, workerName: a.worker_name, start: a.start_at, end: a.end_at, status: a.status, channel: a.channel,
      note: a.note, cancelReason: a.cancel_reason, createdAt: a.created_at,
    })),
    consultations: consultations.map((c) => ({
      id: c.id, area: c.area, subject: c.subject, status: c.status, channel: c.channel, createdAt: c.created_at, firstResponseAt: c.first_response_at,
      closedAt: c.closed_at, resolution: c.resolution,
      messages: messages.filter((m) => m.consultation_id === c.id).map((m) => ({ at: m.created_at, side: m.author_side, authorName: m.display_name, body: m.body })),
    })),
    serviceRequests: requests.map((q) => ({
      id: q.id, area: q.area, title: q.title, description: q.description, urgency: q.urgency, status: q.status, assigneeName: q.assignee_name ?? null,
      createdAt: q.created_at, fulfilledAt: q.fulfilled_at, outcome: q.outcome,
    })),
    visits: visits.map((v) => ({
      id: v.id, visitedAt: v.visited_at, workerName: v.worker_name, mode: v.mode, metResident: v.met_resident === 1, observations: v.observations,
      checklist: parseJson<Record<string, string>>(v.checklist, {}), riskFlags: parseJson<string[]>(v.risk_flags, []), tierBefore: v.tier_before, tierAfter: v.tier_after,
    })),
    serviceRecords: records.map((s) => ({
      id: s.id, serviceName: s.service_name ?? null, workerName: [s.worker_name, ...(coLeaders.get(s.id) ?? [])].join('、'), method: s.method, start: s.start_at, end: s.end_at, place: s.place,
      summary: s.summary, outcome: s.outcome,
    })),
    ratings: ratings.map((g) => ({
      serviceRecordId: g.service_record_id, serviceName: g.service_name ?? null, workerName: g.worker_name, score: g.score, comment: g.comment,
      channel: g.channel, createdAt: g.created_at,
    })),
    feedback: feedback.map((f) => ({
      id: f.id, kind: f.kind, subject: f.subject, body: f.body, status: f.status, createdAt: f.created_at, response: f.response, resolvedAt: f.resolved_at,
    })),
  };
}

/** `2026-11-29T06:30:00.000Z` → `2026-11-29 14:30` in China time, for people reading the workbook. */
export function shanghaiDateTime(iso: string | null): string {
  if (!iso) return '';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

type Row = (string | number | null)[];

function addSheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: Row[], widths: number[]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = headers.map((h, i) => ({ header: h, width: widths[i] ?? 16 }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => v ?? ''));
  ws.eachRow((row) => {
    row.alignment = { vertical: 'top', wrapText: true };
  });
}

/** One sheet per section, Chinese headers; cells hold text so ID numbers keep every digit. */
export async function accessReportWorkbook(rep: AccessReportView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = rep.station.name;
  wb.created = new Date(rep.generatedAt);
  const p = rep.profile;
  const disability = p.disabilityCategory ? `${p.disabilityCategory} 类 ${p.disabilityGrade ?? ''} 级` : '';
  addSheet(wb, '基本信息', ['项目', '内容'], [
    ['社工站', rep.station.name],
    ['运营机构', rep.station.operatorName],
    ['生成时间', shanghaiDateTime(rep.generatedAt)],
    ['经办人', rep.generatedBy],
    ['查阅事由', rep.reason],
    ['姓名', p.name],
    ['性别', GENDER_ZH[p.gender]],
    ['出生日期', p.birthDate],
    ['身份证号', p.idNumber],
    ['无身份证号原因', p.noIdReason],
    ['村（社区）', p.villageName],
    ['住址', p.address],
    ['健康状况', p.healthNotes],
    ['收入状况', p.incomeNotes],
    ['残疾证号', p.disabilityCertificate],
    ['残疾类别与等级', disability],
    ['监护人', p.guardian?.name ?? ''],
    ['风险等级', RISK_ZH[p.riskTier]],
    ['处理依据', BASIS_ZH[p.lawfulBasis]],
    ['状态', STATUS_ZH[p.status]],
    ['状态日期', p.statusDate],
    ['建档时间', shanghaiDateTime(p.createdAt)],
    ['最后修改', shanghaiDateTime(p.updatedAt)],
    ['匿名化时间', shanghaiDateTime(p.anonymisedAt)],
  ], [20, 60]);
  addSheet(wb, '联系电话', ['序号', '号码', '关系'], rep.phones.map((ph, i) => [i + 1, ph.number, label(PHONE_RELATION_ZH, ph.relation)]), [8, 24, 14]);
  addSheet(wb, '类别', ['序号', '类别'], rep.categories.map((c, i) => [i + 1, label(CATEGORY_ZH, c)]), [8, 24]);
  const h = rep.household;
  addSheet(
    wb,
    '家庭',
    ['姓名', '与户主关系', '家庭住址'],
    h ? [[p.name, label(RELATION_TO_HEAD_ZH, h.relationToHead), h.address], ...h.members.map((m): Row => [m.name, label(RELATION_TO_HEAD_ZH, m.relationToHead), ''])] : [],
    [16, 14, 50],
  );
  addSheet(
    wb,
    '知情同意',
    ['用途', '同意人', '监护人', '与本人关系', '方式', '签署日期', '有效期至', '撤回时间', '撤回原因'],
    rep.consents.map((c) => [
      label(PURPOSE_ZH, c.purpose), c.givenBy === 'self' ? '本人' : '监护人', c.guardianName, c.guardianRelation, label(METHOD_ZH, c.method),
      c.givenOn, c.expiresOn, shanghaiDateTime(c.withdrawnAt), c.withdrawnReason,
    ]),
    [28, 10, 12, 12, 24, 12, 12, 18, 30],
  );
  addSheet(
    wb,
    '时间线',
    ['时间', '事项', '经办人', '字段', '原值', '新值'],
    rep.events.map((e) => [shanghaiDateTime(e.at), EVENT_KIND_ZH[e.kind] ?? e.kind, e.actorName, e.field ? (FIELD_ZH[e.field] ?? e.field) : '', e.oldValue, e.newValue]),
    [18, 14, 12, 14, 24, 24],
  );
  addSheet(
    wb,
    '删除申请',
    ['申请时间', '申请人', '事由', '状态', '办结时间', '驳回原因'],
    rep.deletionRequests.map((d) => [shanghaiDateTime(d.requestedAt), d.requestedBy, d.reason, DELETION_STATUS_ZH[d.status], shanghaiDateTime(d.decidedAt), d.rejectedReason]),
    [18, 12, 40, 12, 18, 30],
  );
  addServiceSheets(wb, rep);
  const buf = await wb.xlsx.writeBuffer();
  return Buffer.from(buf as ArrayBuffer);
}

/** The service history, one sheet each: what was booked, asked, requested, seen on visits, done, rated and raised. */
function addServiceSheets(wb: ExcelJS.Workbook, rep: AccessReportView): void {
  const t = shanghaiDateTime;
  addSheet(
    wb,
    '预约',
    ['开始时间', '结束时间', '服务项目', '服务人员', '状态', '预约方式', '备注', '取消原因'],
    rep.appointments.map((a) => [t(a.start), t(a.end), a.serviceName, a.workerName, label(APPOINTMENT_STATUS_ZH, a.status), label(CHANNEL_ZH, a.channel), a.note, a.cancelReason]),
    [18, 18, 14, 10, 10, 12, 24, 24],
  );
  addSheet(
    wb,
    '咨询',
    ['提问时间', '领域', '主题', '状态', '首次答复', '办结时间', '办结情况', '往来内容'],
    rep.consultations.map((c) => [
      t(c.createdAt), label(AREA_ZH, c.area), c.subject, label(CONSULTATION_STATUS_ZH, c.status), t(c.firstResponseAt), t(c.closedAt), c.resolution,
      c.messages.map((m) => `${t(m.at)} ${m.side === 'staff' ? `工作人员 ${m.authorName}` : '居民'}：${m.body}`).join('\n'),
    ]),
    [18, 12, 20, 10, 18, 18, 28, 60],
  );
  addSheet(
    wb,
    '服务需求',
    ['提出时间', '领域', '事项', '说明', '紧急程度', '状态', '承办人', '完成时间', '结果'],
    rep.serviceRequests.map((q) => [t(q.createdAt), label(AREA_ZH, q.area), q.title, q.description, label(URGENCY_ZH, q.urgency), label(REQUEST_STATUS_ZH, q.status), q.assigneeName, t(q.fulfilledAt), q.outcome]),
    [18, 12, 16, 36, 10, 10, 10, 18, 30],
  );
  addSheet(
    wb,
    '走访',
    ['走访时间', '走访人', '方式', '见到本人', '情况记录', '生活状况检查', '风险提示', '风险等级'],
    rep.visits.map((v) => [
      t(v.visitedAt), v.workerName, label(VISIT_MODE_ZH, v.mode), v.metResident ? '是' : '否', v.observations,
      Object.entries(v.checklist).map(([k, x]) => `${label(CHECKLIST_ZH, k)}：${label(CHECK_VALUE_ZH, x)}`).join('；'),
      v.riskFlags.map((f) => label(RISK_FLAG_ZH, f)).join('、'),
      v.tierBefore === v.tierAfter ? RISK_ZH[v.tierAfter] : `${RISK_ZH[v.tierBefore]} → ${RISK_ZH[v.tierAfter]}`,
    ]),
    [18, 10, 8, 8, 50, 50, 24, 14],
  );
  addSheet(
    wb,
    '服务记录',
    ['开始时间', '结束时间', '服务项目', '服务人员', '服务方式', '地点', '服务内容', '结果'],
    rep.serviceRecords.map((s) => [t(s.start), t(s.end), s.serviceName, s.workerName, label(SERVICE_METHOD_ZH, s.method), s.place, s.summary, s.outcome]),
    [18, 18, 14, 10, 10, 18, 50, 24],
  );
  addSheet(
    wb,
    '满意度评价',
    ['评价时间', '服务项目', '服务人员', '评分', '意见', '方式'],
    rep.ratings.map((g) => [t(g.createdAt), g.serviceName, g.workerName, g.score, g.comment, label(CHANNEL_ZH, g.channel)]),
    [18, 14, 10, 8, 40, 10],
  );
  addSheet(
    wb,
    '意见建议与投诉',
    ['提出时间', '类型', '主题', '内容', '状态', '答复', '答复时间'],
    rep.feedback.map((f) => [t(f.createdAt), label(FEEDBACK_KIND_ZH, f.kind), f.subject, f.body, label(FEEDBACK_STATUS_ZH, f.status), f.response, t(f.resolvedAt)]),
    [18, 10, 20, 40, 10, 30, 18],
  );
}
