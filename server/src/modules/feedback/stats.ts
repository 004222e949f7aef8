import type { Stat } from './schema.js';

/** One rating as the satisfaction report needs it. */
export interface ScoreRow {
  score: number;
  workerId: string;
  workerName: string;
  serviceTypeId: string | null;
  serviceTypeName: string | null;
  /** Asia/Shanghai month of the rating, YYYY-MM. */
  month: string;
}

/** Mean to two decimals (half away from zero), null for none. */
export function average(sum: number, count: number): number | null {
  if (count === 0) return null;
  return Math.round((sum * 100) / count) / 100;
}

function stat(scores: number[]): Stat {
  const distribution = [0, 0, 0, 0, 0];
  let sum = 0;
  for (const s of scores) {
    distribution[s - 1] = (distribution[s - 1] ?? 0) + 1;
    sum += s;
  }
  return { count: scores.length, average: average(sum, scores.length), distribution };
}

function groupBy<K>(rows: ScoreRow[], key: (r: ScoreRow) => K): Map<K, ScoreRow[]> {
  const m = new Map<K, ScoreRow[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** Months YYYY-MM from `first` to `last` inclusive. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/**
 * The satisfaction report from its ratings (pure): overall, per service type and per worker (most
 * ratings first, then name), and a monthly trend over `months` (months without ratings included).
 */
export function summarise(rows: ScoreRow[], months: string[]) {
  const byType = [...groupBy(rows, (r) => r.serviceTypeId).entries()].map(([id, rs]) => ({ id, name: rs[0]?.serviceTypeName ?? '', ...stat(rs.map((r) => r.score)) }));
  const byWorker = [...groupBy(rows, (r) => r.workerId).entries()].map(([id, rs]) => ({ id, name: rs[0]?.workerName ?? '', ...stat(rs.map((r) => r.score)) }));
  const order = (a: { count: number; name: string }, b: { count: number; name: string }) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN');
  const perMonth = groupBy(rows, (r) => r.month);
  return {
    overall: stat(rows.map((r) => r.score)),
    byServiceType: byType.sort(order),
    byWorker: byWorker.sort(order),
    monthly: months.map((month) => {
      const scores = (perMonth.get(month) ?? []).map((r) => r.score);
      return { month, count: scores.length, average: average(scores.reduce((a, b) => a + b, 0), scores.length) };
    }),
  };
}
