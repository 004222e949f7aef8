/**
 * Which roster column holds which resident field: the targets a column can map to and the automatic
 * mapping of the headers Chinese station rosters use (花名册/台账). Pure, no Node imports: the web's
 * mapping step imports the same list.
 */

import type { PhoneRelation } from '../../db/tables.js';

/** Fields a column can fill. A column mapped to nothing is ignored. */
export const ROSTER_FIELDS = [
  'name', 'gender', 'idNumber', 'noIdReason', 'birthDate', 'village', 'address', 'categories', 'riskTier',
  'disabilityCertificate', 'healthNotes', 'incomeNotes',
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

/** Phone columns carry the relation of the number to the resident: `phone:self`, `phone:son`, … */
export const PHONE_TARGET_RELATIONS: readonly PhoneRelation[] = [
  'self', 'son', 'daughter', 'spouse', 'parent', 'grandchild', 'sibling', 'relative', 'neighbour', 'village_cadre', 'other',
];
export type PhoneTarget = `phone:${PhoneRelation}`;
export type MappingTarget = RosterField | PhoneTarget;

export const MAPPING_TARGETS: readonly MappingTarget[] = [
  ...ROSTER_FIELDS,
  ...PHONE_TARGET_RELATIONS.map((r) => `phone:${r}` as const),
];

export function isMappingTarget(v: unknown): v is MappingTarget {
  return typeof v === 'string' && (MAPPING_TARGETS as readonly string[]).includes(v);
}

export const isPhoneTarget = (t: MappingTarget): t is PhoneTarget => t.startsWith('phone:');

/** Fields at most one column may fill (phones may come from several columns). */
export const SINGLE_FIELDS: ReadonlySet<MappingTarget> = new Set(ROSTER_FIELDS);

/** Header text as rosters write it → a comparable key: no spaces, half-width brackets, no `*` or colon. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000*＊:：]/g, '')
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')')
    .toLowerCase();
}

const EXACT: Record<string, MappingTarget> = {};
const add = (target: MappingTarget, ...headers: string[]) => headers.forEach((h) => (EXACT[normalizeHeader(h)] = target));

add('name', '姓名', '名字', '服务对象姓名', '对象姓名', '人员姓名', '老人姓名', '儿童姓名', '救助对象姓名', 'name');
add('gender', '性别', 'gender', 'sex');
add('idNumber', '身份证号', '身份证号码', '公民身份号码', '公民身份证号', '公民身份证号码', '身份证', '身份证件号码', '证件号码', '证件号', 'idnumber', 'id number');
add('noIdReason', '无身份证原因', '无证原因', 'noidreason');
add('birthDate', '出生日期', '出生年月', '出生年月日', '生日', '出生时间', 'birthdate', 'date of birth');
add('village', '村', '社区', '村(社区)', '村/社区', '村、社区', '村居', '所属村', '所属村(社区)', '所属社区', '所在村', '所在村(社区)', '村名', '村别', '村组', '村(居)', 'village');
add('address', '住址', '家庭住址', '详细地址', '详细住址', '地址', '现住址', '居住地址', '现居住地址', '家庭地址', '户籍地址', 'address');
add('categories', '类别', '对象类别', '人员类别', '救助类别', '保障类别', '对象类型', '人员类型', '困难类型', '类型', '分类', '服务对象类别', 'categories', 'category');
add('riskTier', '风险等级', '风险', '关注等级', '风险级别', 'risktier', 'risk');
add('disabilityCertificate', '残疾证号', '残疾证号码', '残疾人证号', '残疾人证号码', '残疾证', 'disabilitycertificate');
add('healthNotes', '健康状况', '健康情况', '身体状况', '身体情况', '病情', 'healthnotes');
add('incomeNotes', '收入情况', '家庭收入', '经济状况', '收入状况', '收入', 'incomenotes');
add('phone:self', '联系电话', '电话', '手机', '手机号', '手机号码', '联系方式', '电话号码', '本人电话', '本人手机', '本人联系电话', 'phone', 'mobile');
add('phone:son', '儿子电话', '儿子手机');
add('phone:daughter', '女儿电话', '女儿手机');
add('phone:spouse', '配偶电话', '配偶手机');
add('phone:relative', '子女电话', '子女手机', '子女联系电话', '亲属电话', '家属电话', '家属联系电话', '监护人电话', '监护人联系电话', '紧急联系人电话', '联系人电话');
add('phone:neighbour', '邻居电话');
add('phone:village_cadre', '村干部电话', '网格员电话', '包户干部电话');

/** Headers known and deliberately not imported, so the wizard can say why rather than "unknown". */
const KNOWN_IGNORED = new Set(['序号', '编号', '年龄', '备注', '说明', '户主姓名', '与户主关系', 'no', 'no.'].map(normalizeHeader));

/** The field a header most likely means, or null. Exact synonyms first, then telling fragments. */
export function guessTarget(header: string): MappingTarget | null {
  const h = normalizeHeader(header).replace(/\d+$/, '');
  if (!h) return null;
  const exact = EXACT[h];
  if (exact) return exact;
  if (KNOWN_IGNORED.has(h)) return null;
  if (/电话|手机|联系方式/.test(h)) {
    if (/儿子/.test(h)) return 'phone:son';
    if (/女儿/.test(h)) return 'phone:daughter';
    if (/配偶|老伴/.test(h)) return 'phone:spouse';
    if (/邻居/.test(h)) return 'phone:neighbour';
    if (/干部|网格/.test(h)) return 'phone:village_cadre';
    if (/子女|亲属|家属|监护|联系人/.test(h)) return 'phone:relative';
    return 'phone:self';
  }
  if (/无.*身份证.*原因/.test(h)) return 'noIdReason';
  if (/残疾.*证/.test(h)) return 'disabilityCertificate';
  if (/身份证|身份号码/.test(h)) return 'idNumber';
  if (/出生/.test(h)) return 'birthDate';
  if (/姓名/.test(h)) return 'name';
  if (/性别/.test(h)) return 'gender';
  if (/地址|住址/.test(h)) return 'address';
  if (/风险/.test(h)) return 'riskTier';
  if (/类别|类型/.test(h)) return 'categories';
  if (/健康|身体/.test(h)) return 'healthNotes';
  if (/收入|经济/.test(h)) return 'incomeNotes';
  if (/村|社区/.test(h)) return 'village';
  return null;
}

/** Why a known header is not imported (shown in the mapping step), or null. */
export function ignoredReason(header: string): 'notes' | 'derived' | 'numbering' | 'household' | null {
  const h = normalizeHeader(header);
  if (h === '备注' || h === '说明') return 'notes';
  if (h === '年龄') return 'derived';
  if (h === '序号' || h === '编号' || h === 'no' || h === 'no.') return 'numbering';
  if (h === '户主姓名' || h === '与户主关系') return 'household';
  return null;
}

export interface ColumnMapping {
  /** 0-based column index in the sheet. */
  index: number;
  header: string;
  target: MappingTarget | null;
  /** true when the target came from the automatic mapping, false when the user chose it. */
  auto: boolean;
}

/**
 * Map each header to a field. The user's corrections (`{"姓名":"name","备注":null}`, keyed by header
 * text) win; a single-valued field taken by an earlier column is not given to a later one.
 */
export function mapColumns(headers: readonly string[], overrides: Record<string, MappingTarget | null> = {}): ColumnMapping[] {
  const taken = new Set<MappingTarget>();
  const byHeader = new Map(Object.entries(overrides).map(([k, v]) => [normalizeHeader(k), v]));
  const out: ColumnMapping[] = [];
  // User choices claim their fields first, so an automatic guess never steals them.
  for (const v of byHeader.values()) if (v && SINGLE_FIELDS.has(v)) taken.add(v);
  headers.forEach((header, index) => {
    if (!header.trim()) return;
    const key = normalizeHeader(header);
    if (byHeader.has(key)) {
      out.push({ index, header, target: byHeader.get(key) ?? null, auto: false });
      return;
    }
    let target = guessTarget(header);
    if (target && SINGLE_FIELDS.has(target)) {
      if (taken.has(target)) target = null;
      else taken.add(target);
    }
    out.push({ index, header, target, auto: true });
  });
  return out;
}

/** How many headers of a row look like roster headers: finds the header row under a title row. */
export function headerScore(cells: readonly string[]): number {
  return cells.filter((c) => c.trim() && guessTarget(c) !== null).length;
}
