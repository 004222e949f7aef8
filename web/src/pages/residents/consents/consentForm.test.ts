import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ResidentDetailView } from './api';
import { consentBody } from './ConsentDrawer';
import { ConsentForm } from './ConsentFormPrintPage';

const base: ResidentDetailView = {
  id: 'r1', stationId: 's1', villageId: 'v1', villageName: '南山村', householdId: null, name: '王桂英', gender: 'female',
  birthDate: '1948-03-15', age: 78, idNumberMasked: '4301**********0027', phones: [], categories: ['elderly_alone'], riskTier: 'priority',
  status: 'active', anonymised: false, relationToHead: null, noIdReason: null, addressMasked: '湖南省浏阳市****', hasHealthNotes: true,
  hasIncomeNotes: false, disability: null, guardian: null, lawfulBasis: 'consent', statusDate: null, version: 1,
  createdAt: '2026-11-29T02:00:00Z', updatedAt: '2026-11-29T02:00:00Z', revealable: [],
};
const render = (r: ResidentDetailView) =>
  renderToStaticMarkup(createElement(ConsentForm, { r, stationName: '大瑶镇社工站', today: new Date('2026-11-29T04:00:00Z') }));

describe('the printed consent form', () => {
  it("fills in the resident's details (ID masked), every purpose, the separate sensitive-data clause and the station footer", () => {
    const html = render(base);
    for (const s of ['个人信息处理知情同意书', '王桂英', '1948年3月15日', '4301**********0027', '南山村', '大瑶镇社工站 · 个人信息处理知情同意书',
      '提供社工服务', '转介与信息共享', '志愿者联系', '宣传照片与报道', '第二十九条', '撤回', '见证人一签名', '见证人二签名']) {
      expect(html).toContain(s);
    }
    expect(html).not.toContain('第三十一条');
    expect(html.match(/data-testid="cf-purpose"/g)).toHaveLength(4);
  });

  it('adds the guardian section for a child under 14 and names the statutory basis', () => {
    const html = render({ ...base, name: '李小宝', birthDate: '2018-06-01', age: 8, lawfulBasis: 'statutory_duty', guardian: { id: 'g1', name: '李秀兰' }, idNumberMasked: null, noIdReason: '未办理' });
    expect(html).toContain('第三十一条');
    expect(html).toContain('李秀兰');
    expect(html).toContain('监护人签名：');
    expect(html).toContain('无（未办理）');
    expect(html).toContain('第十三条');
  });
});

describe('the record-consent form', () => {
  it('sends only the fields the chosen options use', () => {
    expect(consentBody({ purpose: 'service', givenBy: 'self', guardianName: '留下的名字', method: 'online', witnessUserIds: ['a', 'b'], givenOn: '2026-11-29' })).toEqual({
      purpose: 'service', givenBy: 'self', method: 'online', givenOn: '2026-11-29', expiresOn: null,
    });
    expect(
      consentBody({ purpose: 'sensitive_data', givenBy: 'guardian', guardianResidentId: '', guardianName: ' 李秀兰 ', guardianRelation: '母亲', method: 'in_person_witnessed', witnessUserIds: ['a', 'b'], givenOn: '2026-11-29', expiresOn: '2027-11-29' }),
    ).toEqual({
      purpose: 'sensitive_data', givenBy: 'guardian', guardianResidentId: null, guardianName: '李秀兰', guardianRelation: '母亲', method: 'in_person_witnessed',
      witnessUserIds: ['a', 'b'], givenOn: '2026-11-29', expiresOn: '2027-11-29',
    });
    expect(consentBody({ purpose: 'service', givenBy: 'self', method: 'paper_signed', documentId: 'd1', givenOn: '2026-11-29' })).toMatchObject({ documentId: 'd1' });
  });
});
