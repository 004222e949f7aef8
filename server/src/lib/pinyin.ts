/**
 * Pinyin search keys for residents' names (王桂英 → initials `wgy`, full `wangguiying`).
 *
 * Readings come from `pinyin-pro` (MIT, pinned exact in package.json) in surname mode
 * (`surname: 'head'`): the leading single or compound surname is read as a surname
 * (单 shan, 曾 zeng, 解 xie, 仇 qiu, 区 ou, 朴 piao, 查 zha, 尉迟 yuchi, 长孙 zhangsun,
 * 万俟 moqi), and the given name with pinyin-pro's ordinary word-based reading. Where a
 * given-name character is polyphonic and the context does not decide it (曾乐乐: le or
 * yue?), we keep that default reading; only one reading is stored. Residents whose name
 * gets a wrong reading can still be found by name fragment or by initials.
 *
 * Key rules:
 * - lower-case ASCII only; ü is written `v` as on Chinese IMEs (吕 → `lv`, 女 → `nv`);
 * - one key "token" per Han character: initial = first letter of its pinyin;
 * - a run of Latin letters (王A, Tom) is one token: initial = its first letter, full =
 *   the run; accents are stripped (é → e), full-width letters folded (Ａ → a);
 * - everything else is dropped: digits, spaces, middle dots (阿依古丽·买买提), other
 *   scripts, and Han characters pinyin-pro has no reading for (rare extension-B ones).
 *
 * SQL strategy (the registry stores `name_initials` and `name_pinyin`, computed at write
 * time with nameSearchKeys; `matchesPinyinQuery` below is the reference the SQL must
 * agree with). With q = normalizePinyinQuery(input) (only [a-z], so nothing to escape):
 *
 *   station_id = $s AND (
 *        name_pinyin   LIKE 'q%'
 *     OR name_initials LIKE 'q%'
 *     OR (length(q) >= 2 AND name_initials LIKE '%q%'))
 *
 * The prefix forms use indexes leading with station_id: (station_id, name_pinyin) and
 * (station_id, name_initials). On Postgres declare them with `text_pattern_ops` (or
 * COLLATE "C") so LIKE 'q%' can use them; on SQLite, LIKE is case-insensitive and only
 * uses an index on a NOCASE column — alternatively use the equivalent range
 * `col >= 'q' AND col < 'q{'` ('{' follows 'z' in ASCII) on a BINARY index. The
 * `%q%` form (given-name initials, `gy` → 王桂英) cannot use a b-tree; it scans only the
 * station's rows, which is fine at township scale. Keys depend on the pinyin-pro
 * version: when it is upgraded, recompute both columns for all residents.
 */
import { pinyin } from 'pinyin-pro';

export interface NameSearchKeys {
  /** One letter per Han character / Latin run, e.g. `wgy`. */
  initials: string;
  /** Toneless pinyin without separators, e.g. `wangguiying`. */
  full: string;
}

const TOKEN = /\p{Script=Han}|[a-z]+/gu;
const HAN = /^\p{Script=Han}$/u;
const LATIN_PINYIN = /^[a-z]+$/;

export function nameSearchKeys(name: string): NameSearchKeys {
  const cleaned = name.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const tokens = cleaned.match(TOKEN) ?? [];
  const han = tokens.filter((t) => HAN.test(t));
  // All Han characters read together, so surname mode sees the surname at the head and
  // word-level polyphone rules see the given name, whatever sits between them.
  const readings = han.length > 0 ? readHan(han) : [];
  let initials = '';
  let full = '';
  let h = 0;
  for (const t of tokens) {
    const p = HAN.test(t) ? (readings[h++] ?? '') : t;
    if (p === '') continue;
    initials += p[0];
    full += p;
  }
  return { initials, full };
}

function readHan(chars: string[]): string[] {
  const items = pinyin(chars.join(''), { type: 'all', surname: 'head', toneType: 'none', v: true });
  if (items.length !== chars.length) {
    // Should not happen (pinyin-pro yields one item per code point); read one by one.
    return chars.map((c, i) => clean(pinyin(c, { toneType: 'none', v: true, surname: i === 0 ? 'head' : 'off' })));
  }
  return items.map((it) => (it.isZh ? clean(it.pinyin) : ''));
}

function clean(p: string): string {
  const s = p.toLowerCase();
  return LATIN_PINYIN.test(s) ? s : '';
}

/**
 * The query as the SQL must use it: lower-cased, whitespace removed; null unless it is
 * 1–30 ASCII letters (so it never contains LIKE wildcards).
 */
export function normalizePinyinQuery(q: string): string | null {
  const s = q.replace(/\s+/g, '').toLowerCase();
  return /^[a-z]{1,30}$/.test(s) ? s : null;
}

/** True for 1–30 ASCII letters (whitespace ignored: `zhang san` counts). */
export function looksLikePinyinQuery(q: string): boolean {
  return normalizePinyinQuery(q) !== null;
}

/**
 * Reference matcher: q is a prefix of the initials (`wg`, `wgy`) or of the full pinyin
 * (`wang`, `zhangs`, `wangguiy`), or — from 2 letters — a substring of the initials
 * (`gy` finds 王桂英 by given name; every position in `initials` is a character
 * boundary). Mixed forms such as `wgying` are deliberately not matched.
 */
export function matchesPinyinQuery(keys: NameSearchKeys, q: string): boolean {
  const s = normalizePinyinQuery(q);
  if (s === null) return false;
  return (
    keys.full.startsWith(s) || keys.initials.startsWith(s) || (s.length >= 2 && keys.initials.includes(s))
  );
}

/**
 * The rows the SQL search reads (resident_name_keys): the full pinyin and the whole initials at
 * position 0, and each suffix of the initials of 2+ letters at its position. A query q matches a
 * name exactly when some key starts with q (any position from 2 letters, position 0 for one
 * letter), which is the same rule as `matchesPinyinQuery`.
 */
export function pinyinSearchRows(keys: NameSearchKeys): { key: string; pos: number }[] {
  const rows = new Map<string, { key: string; pos: number }>();
  const add = (key: string, pos: number) => {
    if (key) rows.set(`${pos}:${key}`, { key, pos });
  };
  add(keys.full, 0);
  add(keys.initials, 0);
  for (let i = 1; i <= keys.initials.length - 2; i++) add(keys.initials.slice(i), i);
  return [...rows.values()];
}

/**
 * The smallest string above every string that starts with `prefix` (lower-case a–z only), for an
 * index range scan `key >= prefix and key < bound`; null when there is none ("zz…").
 * Comparisons of lower-case ASCII letters agree in SQLite's binary and PostgreSQL's locale collations.
 */
export function prefixUpperBound(prefix: string): string | null {
  const trimmed = prefix.replace(/z+$/, '');
  if (trimmed === '') return null;
  return trimmed.slice(0, -1) + String.fromCharCode(trimmed.charCodeAt(trimmed.length - 1) + 1);
}
