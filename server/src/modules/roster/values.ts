/**
 * Cell values as station rosters write them → the values a resident draft takes. Pure functions,
 * each returning either a value or a problem code the caller turns into a message.
 */

import type { Category, PhoneRelation, RiskTier } from '../../db/tables.js';
import type { Gender } from '../../lib/identity.js';

/** What a cell can hold once read from .xlsx or .csv. */
export type Cell = string | number | boolean | Date | null;

const toHalfWidth = (s: string) => s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

/** A cell as text, as the worker sees it in Excel (numbers without exponent where they are whole). */
export function cellText(v: Cell): string {
  if (v === null) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : String(v);
  return String(v).trim();
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

export type DateParse = { ok: true; date: string } | { ok: true; month: string } | { ok: false };

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function realDate(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** Excel's serial day number (1900 date system, with its phantom 29 Feb 1900) → YYYY-MM-DD. */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isInteger(serial) || serial < 1 || serial > 2958465) return null;
  // Serials above 60 count from 1899-12-30 because Excel believes 1900 was a leap year.
  const base = serial > 60 ? Date.UTC(1899, 11, 30) : Date.UTC(1899, 11, 31);
  return new Date(base + serial * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A date cell: an Excel date, 1948-03-15, 1948/3/15, 1948.3.15, 1948年3月15日, 19480315, or an
 * Excel serial number. 出生年月 columns often hold only year and month (1948.03, 1948年3月):
 * that comes back as `month` and the ID number supplies the day.
 */
export function parseDate(v: Cell): DateParse | null {
  if (v === null || v === '') return null;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return { ok: false };
    // Excel dates carry no zone; exceljs gives them as UTC midnight (a time of day would be noise).
    return { ok: true, date: v.toISOString().slice(0, 10) };
  }
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 10_000_000 && v <= 99_999_999) return parseDate(String(v));
    const d = excelSerialToDate(v);
    return d ? { ok: true, date: d } : { ok: false };
  }
  if (typeof v === 'boolean') return { ok: false };
  const s = toHalfWidth(v).trim().replace(/\s+\d{1,2}:\d{2}(:\d{2})?$/, '');
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (m) {
    const d = realDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? { ok: true, date: d } : { ok: false };
  }
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) {
    const d = realDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? { ok: true, date: d } : { ok: false };
  }
  m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return mo >= 1 && mo <= 12 && y >= 1000 ? { ok: true, month: `${pad(y, 4)}-${pad(mo)}` } : { ok: false };
  }
  return { ok: false };
}

// ---------------------------------------------------------------------------------------------
// Gender, risk tier, categories
// ---------------------------------------------------------------------------------------------

const GENDERS: Record<string, Gender> = { 男: 'male', 男性: 'male', m: 'male', male: 'male', 女: 'female', 女性: 'female', f: 'female', female: 'female' };

/** 男/女 (or M/F, male/female); null for an empty cell, 'invalid' for anything else. */
export function parseGender(v: Cell): Gender | null | 'invalid' {
  const s = toHalfWidth(cellText(v)).trim().toLowerCase();
  if (!s) return null;
  return GENDERS[s] ?? 'invalid';
}

const RISKS: Record<string, RiskTier> = {
  高风险: 'high', 高: 'high', 红: 'high', 红色: 'high', high: 'high',
  重点: 'priority', 重点关注: 'priority', 中: 'priority', 中风险: 'priority', 较高: 'priority', 黄: 'priority', 黄色: 'priority', priority: 'priority',
  一般: 'normal', 普通: 'normal', 低: 'normal', 低风险: 'normal', 正常: 'normal', 绿: 'normal', 绿色: 'normal', normal: 'normal',
};

/** 高风险/重点/一般 (and the colour and high/medium/low words rosters use); empty → 'normal'. */
export function parseRiskTier(v: Cell): RiskTier | 'invalid' {
  const s = toHalfWidth(cellText(v)).replace(/\s/g, '').toLowerCase();
  if (!s) return 'normal';
  return RISKS[s] ?? 'invalid';
}

/** Chinese labels (and their common short forms) → category identifiers. */
export const CATEGORY_LABELS: Record<string, Category> = {
  低保: 'dibao', 低保户: 'dibao', 低保对象: 'dibao', 城乡低保: 'dibao', 农村低保: 'dibao', 城市低保: 'dibao',
  特困: 'tekun', 特困供养: 'tekun', 特困人员: 'tekun', 特困供养人员: 'tekun', 五保: 'tekun', 五保户: 'tekun', 分散供养特困: 'tekun', 集中供养特困: 'tekun',
  低保边缘: 'dibao_edge', 低边: 'dibao_edge', 低保边缘户: 'dibao_edge', 低保边缘家庭: 'dibao_edge',
  刚性支出困难: 'rigid_expense', 刚性支出: 'rigid_expense', 支出型困难: 'rigid_expense', 刚性支出困难家庭: 'rigid_expense',
  防止返贫监测: 'poverty_watch', 防返贫监测: 'poverty_watch', 监测对象: 'poverty_watch', 防止返贫监测对象: 'poverty_watch',
  独居老人: 'elderly_alone', 独居: 'elderly_alone',
  空巢老人: 'elderly_empty_nest', 空巢: 'elderly_empty_nest',
  留守老人: 'elderly_left_behind',
  失能老人: 'elderly_disabled', 失能: 'elderly_disabled', 半失能老人: 'elderly_disabled', 失能半失能老人: 'elderly_disabled',
  重残老人: 'elderly_severe_disability',
  计生特殊家庭: 'family_planning_special', 计划生育特殊家庭: 'family_planning_special', 失独家庭: 'family_planning_special', 失独: 'family_planning_special',
  孤儿: 'orphan',
  事实无人抚养儿童: 'de_facto_orphan', 事实孤儿: 'de_facto_orphan',
  留守儿童: 'left_behind_child',
  困境儿童: 'child_in_difficulty',
  残疾人: 'disabled', 残疾: 'disabled', 重度残疾人: 'disabled', 残疾人员: 'disabled',
  dibao: 'dibao', tekun: 'tekun', dibao_edge: 'dibao_edge', rigid_expense: 'rigid_expense', poverty_watch: 'poverty_watch',
  elderly_alone: 'elderly_alone', elderly_empty_nest: 'elderly_empty_nest', elderly_left_behind: 'elderly_left_behind',
  elderly_disabled: 'elderly_disabled', elderly_severe_disability: 'elderly_severe_disability',
  family_planning_special: 'family_planning_special', orphan: 'orphan', de_facto_orphan: 'de_facto_orphan',
  left_behind_child: 'left_behind_child', child_in_difficulty: 'child_in_difficulty', disabled: 'disabled',
};

/** The label each category is written with (exports, the template). */
export const CATEGORY_NAMES: Record<Category, string> = {
  dibao: '低保', tekun: '特困供养', dibao_edge: '低保边缘', rigid_expense: '刚性支出困难', poverty_watch: '防止返贫监测',
  elderly_alone: '独居老人', elderly_empty_nest: '空巢老人', elderly_left_behind: '留守老人', elderly_disabled: '失能老人',
  elderly_severe_disability: '重残老人', family_planning_special: '计生特殊家庭', orphan: '孤儿', de_facto_orphan: '事实无人抚养儿童',
  left_behind_child: '留守儿童', child_in_difficulty: '困境儿童', disabled: '残疾人',
};

/** "低保、独居老人" (split on 、，,/;；| and spaces) → identifiers, and the labels not recognised. */
export function parseCategories(v: Cell): { categories: Category[]; unknown: string[] } {
  const parts = toHalfWidth(cellText(v))
    .split(/[、,，/;；|\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const categories: Category[] = [];
  const unknown: string[] = [];
  for (const p of parts) {
    const c = CATEGORY_LABELS[p] ?? CATEGORY_LABELS[p.toLowerCase()] ?? CATEGORY_LABELS[p.replace(/(对象|人员|家庭)$/, '')];
    if (c) {
      if (!categories.includes(c)) categories.push(c);
    } else unknown.push(p);
  }
  return { categories, unknown };
}

// ---------------------------------------------------------------------------------------------
// Phones
// ---------------------------------------------------------------------------------------------

/** Relation words written after a number, e.g. 13812345678（儿子）. */
const RELATION_WORDS: Record<string, PhoneRelation> = {
  本人: 'self', 儿子: 'son', 女儿: 'daughter', 配偶: 'spouse', 老伴: 'spouse', 丈夫: 'spouse', 妻子: 'spouse', 父母: 'parent', 父亲: 'parent', 母亲: 'parent',
  孙子: 'grandchild', 孙女: 'grandchild', 孙辈: 'grandchild', 外孙: 'grandchild', 外孙女: 'grandchild', 兄弟姐妹: 'sibling', 哥哥: 'sibling', 弟弟: 'sibling', 姐姐: 'sibling', 妹妹: 'sibling',
  亲属: 'relative', 其他亲属: 'relative', 子女: 'relative', 邻居: 'neighbour', 村干部: 'village_cadre', 网格员: 'village_cadre', 其他: 'other',
};

/** The label each phone relation is written with after a number in exports. */
export const RELATION_NAMES: Record<PhoneRelation, string> = {
  self: '本人', son: '儿子', daughter: '女儿', spouse: '配偶', parent: '父母', grandchild: '孙辈', sibling: '兄弟姐妹',
  relative: '其他亲属', neighbour: '邻居', village_cadre: '村干部', other: '其他',
};

/**
 * A phone cell: one or more numbers separated by / 、 , ; or new lines, each optionally followed by
 * its relation in brackets (13812345678（儿子）). The column's relation applies when none is written.
 */
export function splitPhones(v: Cell, fallback: PhoneRelation): { number: string; relation: PhoneRelation }[] {
  const text = cellText(v);
  if (!text) return [];
  return text
    .split(/[/、,，;；\n]+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const m = /^(.*?)[(（]\s*([^)）]+?)\s*[)）]$/.exec(p) ?? /^([\d\s+()-]+?)\s*([\u4e00-\u9fa5]+)$/.exec(p);
      if (m) {
        const relation = RELATION_WORDS[m[2]!.trim()];
        if (relation) return { number: m[1]!.trim(), relation };
      }
      return { number: p, relation: fallback };
    });
}

// ---------------------------------------------------------------------------------------------
// ID numbers that Excel mangled
// ---------------------------------------------------------------------------------------------

/**
 * An ID cell as text, or 'lost_digits' when Excel stored the number as a number: 18 digits do not
 * fit a double, so the last ones are gone (4.30181194803152E+17) and cannot be recovered.
 */
export function idCellText(v: Cell): string | 'lost_digits' {
  if (typeof v === 'number') return Number.isSafeInteger(v) && String(v).length === 15 ? String(v) : 'lost_digits';
  const s = cellText(v).replace(/^'/, '');
  if (/^\d(\.\d+)?e\+\d+$/i.test(s)) return 'lost_digits';
  return s;
}
