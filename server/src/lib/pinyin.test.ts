import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikePinyinQuery, matchesPinyinQuery, nameSearchKeys, normalizePinyinQuery, pinyinSearchRows, prefixUpperBound } from './pinyin.js';

describe('nameSearchKeys', () => {
  it.each<[string, string, string]>([
    // common names
    ['王桂英', 'wgy', 'wangguiying'],
    ['张三', 'zs', 'zhangsan'],
    ['李秀兰', 'lxl', 'lixiulan'],
    ['刘建国', 'ljg', 'liujianguo'],
    ['陈静', 'cj', 'chenjing'],
    ['杨秀珍', 'yxz', 'yangxiuzhen'],
    ['赵玉梅', 'zym', 'zhaoyumei'],
    ['黄丽', 'hl', 'huangli'],
    ['周淑芬', 'zsf', 'zhoushufen'],
    ['吴志强', 'wzq', 'wuzhiqiang'],
    ['徐长江', 'xcj', 'xuchangjiang'],
    ['孙行者', 'sxz', 'sunxingzhe'],
    // polyphonic single surnames, read in surname mode
    ['单田芳', 'stf', 'shantianfang'],
    ['曾国藩', 'zgf', 'zengguofan'],
    ['解缙', 'xj', 'xiejin'],
    ['仇英', 'qy', 'qiuying'],
    ['区志伟', 'ozw', 'ouzhiwei'],
    ['朴槿惠', 'pjh', 'piaojinhui'],
    ['查良镛', 'zly', 'zhaliangyong'],
    ['乐嘉', 'yj', 'yuejia'],
    ['盖聂', 'gn', 'genie'],
    ['翟天临', 'ztl', 'zhaitianlin'],
    ['缪斌', 'mb', 'miaobin'],
    ['任我行', 'rwx', 'renwoxing'],
    // compound surnames
    ['尉迟恭', 'ycg', 'yuchigong'],
    ['长孙无忌', 'zswj', 'zhangsunwuji'],
    ['欧阳娜娜', 'oynn', 'ouyangnana'],
    ['诸葛亮', 'zgl', 'zhugeliang'],
    ['司马光', 'smg', 'simaguang'],
    ['令狐冲', 'lhc', 'linghuchong'],
    ['万俟卨', 'mqx', 'moqixie'],
    ['澹台灭明', 'ttmm', 'tantaimieming'],
    // surname mode only at the head: the given name keeps its ordinary reading
    ['贾乐', 'jl', 'jiale'],
    ['单单', 'sd', 'shandan'],
    // ü is written v
    ['吕布', 'lb', 'lvbu'],
    ['女娲', 'nw', 'nvwa'],
    // Latin letters kept (a run is one token), digits / spaces / dots dropped
    ['王A', 'wa', 'wanga'],
    ['Tom 王', 'tw', 'tomwang'],
    ['王Ａ', 'wa', 'wanga'],
    ['José李', 'jl', 'joseli'],
    ['张三2号', 'zsh', 'zhangsanhao'],
    [' 单 田芳 ', 'stf', 'shantianfang'],
    ['阿依古丽·买买提', 'ayglmmt', 'ayiguli' + 'maimaiti'],
    ['热依拉・艾力', 'ryl' + 'al', 'reyila' + 'aili'],
    ['', '', ''],
    ['123', '', ''],
  ])('%s → %s / %s', (name, initials, full) => {
    expect(nameSearchKeys(name)).toEqual({ initials, full });
  });

  const ALPHABET = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高桂英秀兰芳国华明丽强军平伟玉梅建红霞单曾解仇区朴查长乐重行'];

  it('yields one lower-case initial per CJK character and full starts with the first initial', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 6 }), (chars) => {
        const { initials, full } = nameSearchKeys(chars.join(''));
        expect(initials).toHaveLength(chars.length);
        expect(initials).toMatch(/^[a-z]+$/);
        expect(full).toMatch(/^[a-z]+$/);
        expect(full.startsWith(initials[0]!)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('ignores inserted separators', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(' ', '·', '・', '1', '-'),
        (chars, sep) => {
          expect(nameSearchKeys(chars.join(sep))).toEqual(nameSearchKeys(chars.join('')));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('matchesPinyinQuery', () => {
  const wgy = nameSearchKeys('王桂英');
  const zs = nameSearchKeys('张三');

  it.each<[string, { initials: string; full: string }, string, boolean]>([
    ['initials', wgy, 'wgy', true],
    ['initials prefix', wgy, 'wg', true],
    ['one letter', wgy, 'w', true],
    ['full prefix', wgy, 'wang', true],
    ['full prefix into given name', wgy, 'wangguiy', true],
    ['whole full', wgy, 'wangguiying', true],
    ['upper case and spaces', wgy, ' Wang Gui ', true],
    ['given-name initials', wgy, 'gy', true],
    ['single given-name initial is too loose', wgy, 'g', false],
    ['mixed form not supported', wgy, 'wgying', false],
    ['not a boundary substring of full', wgy, 'guiying', false],
    ['too long', wgy, 'wgyx', false],
    ['zhangs', zs, 'zhangs', true],
    ['zs', zs, 'zs', true],
    ['zhangsan', zs, 'zhangsan', true],
    ['zhangsi', zs, 'zhangsi', false],
    ['non-letters', zs, 'z1', false],
    ['empty', zs, '', false],
    ['blank', zs, '  ', false],
    ['Chinese query is not a pinyin query', zs, '张', false],
    ['surname reading', nameSearchKeys('单田芳'), 'shan', true],
    ['non-surname reading not stored', nameSearchKeys('单田芳'), 'dan', false],
    ['compound surname', nameSearchKeys('长孙无忌'), 'zhangsunw', true],
    ['given name of compound surname', nameSearchKeys('长孙无忌'), 'wj', true],
    ['ü as v', nameSearchKeys('吕布'), 'lvb', true],
    ['Latin letter in name', nameSearchKeys('王A'), 'wa', true],
    ['minority name after the dot', nameSearchKeys('阿依古丽·买买提'), 'mmt', true],
  ])('%s: %j ~ %j → %s', (_label, keys, q, expected) => {
    expect(matchesPinyinQuery(keys, q)).toBe(expected);
  });

  it('the search-key rows answer exactly as the reference matcher (any name, any query)', () => {
    const names = ['王桂英', '张三', '李秀兰', '单田芳', '欧阳娜娜', '王A', '阿依古丽·买买提', '长孙无忌', '吕布'].map(nameSearchKeys);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.stringMatching(/^[a-z]{1,8}$/), (keys, q) => {
        const bound = prefixUpperBound(q);
        const viaRows = pinyinSearchRows(keys).some((r) => r.key >= q && (bound === null || r.key < bound) && (q.length >= 2 || r.pos === 0));
        expect(viaRows).toBe(matchesPinyinQuery(keys, q));
      }),
      { numRuns: 2000 },
    );
  });

  it('prefixUpperBound bounds exactly the strings with the prefix', () => {
    expect(prefixUpperBound('wgy')).toBe('wgz');
    expect(prefixUpperBound('az')).toBe('b');
    expect(prefixUpperBound('zz')).toBeNull();
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,5}$/), fc.stringMatching(/^[a-z]{0,8}$/), (p, s) => {
        const b = prefixUpperBound(p);
        const inRange = s >= p && (b === null || s < b);
        expect(inRange).toBe(s.startsWith(p));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the SQL rule (prefix of either column, or initials substring from 2 letters)', () => {
    const names = ['王桂英', '张三', '李秀兰', '单田芳', '欧阳娜娜', '王A'].map(nameSearchKeys);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.stringMatching(/^[a-z]{1,6}$/), (keys, q) => {
        const like = (col: string, pattern: string) =>
          new RegExp(`^${pattern.replace(/%/g, '.*')}$`).test(col);
        const sql = like(keys.full, `${q}%`) || like(keys.initials, `${q}%`) || (q.length >= 2 && like(keys.initials, `%${q}%`));
        expect(matchesPinyinQuery(keys, q)).toBe(sql);
      }),
    );
  });
});

describe('looksLikePinyinQuery / normalizePinyinQuery', () => {
  it.each<[string, string | null]>([
    ['wgy', 'wgy'],
    ['WGY', 'wgy'],
    ['zhang san', 'zhangsan'],
    ['a', 'a'],
    ['a'.repeat(30), 'a'.repeat(30)],
    ['a'.repeat(31), null],
    ['', null],
    ['   ', null],
    ['王', null],
    ['wang1', null],
    ['wa%', null],
    ['ｗｇｙ', null],
  ])('%j → %j', (q, normalized) => {
    expect(normalizePinyinQuery(q)).toBe(normalized);
    expect(looksLikePinyinQuery(q)).toBe(normalized !== null);
  });
});
