import { describe, expect, it } from 'vitest';
import { KNOWN_ERROR_IDS } from '../components/errors';
import { en } from './en';
import { zhCN } from './zh-CN';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const zh = flatten(zhCN);
const eng = flatten(en);
const sources = import.meta.glob(['../**/*.{ts,tsx}', '!../**/*.test.ts', '!../i18n/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('i18n resources', () => {
  it('have the same keys in both languages, none empty', () => {
    expect([...eng.keys()].sort()).toEqual([...zh.keys()].sort());
    for (const [k, v] of [...zh, ...eng]) expect(v.trim(), k).not.toBe('');
  });

  it('use the same interpolation variables in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();
    for (const [k, v] of zh) expect(vars(eng.get(k) ?? ''), k).toEqual(vars(v));
  });

  it('contain every key the code uses', () => {
    const missing: string[] = [];
    expect(Object.keys(sources).length).toBeGreaterThan(30);
    for (const id of KNOWN_ERROR_IDS) if (!zh.has(`errors.${id}`)) missing.push(`errors.${id}`);
    const namespaces = new Set(Object.keys(zhCN));
    for (const [file, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/['`]([a-zA-Z]+)\.([a-zA-Z0-9_.]*(?:\$\{[^}]+\})?[a-zA-Z0-9_.]*)['`]/g)) {
        const [, ns, rest] = m;
        if (!ns || rest === undefined || !namespaces.has(ns) || /(^|\.)\d/.test(rest)) continue;
        const key = `${ns}.${rest}`;
        if (key.includes('${')) {
          const prefix = key.slice(0, key.indexOf('${'));
          if (![...zh.keys()].some((k) => k.startsWith(prefix))) missing.push(`${file}: ${key}`);
        } else if (!zh.has(key)) {
          missing.push(`${file}: ${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
