import { describe, expect, it } from 'vitest';
import { render, say, TEMPLATES, whenText } from './templates.js';

describe('templates', () => {
  const p = { serviceName: '心理疏导', start: '2026-12-31T16:30:00Z', place: '大瑶镇社工站', reason: '工作人员生病' };

  it('every template renders short plain text in both languages', () => {
    for (const id of TEMPLATES) {
      for (const locale of ['zh-CN', 'en'] as const) {
        const r = render(id, id === 'generic' ? { title: '通知', body: '内容', link: '/x' } : p, locale);
        expect(r.title.length).toBeGreaterThan(0);
        expect(r.title.length).toBeLessThanOrEqual(30);
        expect(r.body.length).toBeLessThanOrEqual(140);
        if (id !== 'generic') {
          expect(r.body).toContain('心理疏导');
          expect(r.link).toBe('/appointments');
        }
      }
    }
    expect(render('appointment_cancelled', p, 'zh-CN').body).toContain('原因：工作人员生病');
  });

  it('times are Beijing time: 16:30Z on 31 Dec is 00:30 on 1 Jan', () => {
    expect(whenText(p.start, 'zh-CN')).toContain('1月1日');
    expect(whenText(p.start, 'zh-CN')).toContain('00:30');
    expect(whenText(p.start, 'en')).toContain('1 Jan');
  });

  it('a generic message speaks the recipient’s language when it carries both; older rows stay Chinese', () => {
    const both = { ...say({ title: '投诉即将到期', body: '请在期限内答复。' }, { title: 'Complaint due soon', body: 'Please answer in time.' }), link: '/feedback/complaints' };
    expect(render('generic', both, 'en')).toEqual({ title: 'Complaint due soon', body: 'Please answer in time.', link: '/feedback/complaints' });
    expect(render('generic', both, 'zh-CN')).toEqual({ title: '投诉即将到期', body: '请在期限内答复。', link: '/feedback/complaints' });
    expect(render('generic', { title: '通知', body: '内容' }, 'en')).toEqual({ title: '通知', body: '内容', link: null });
  });

  it('an unknown template is an error', () => {
    expect(() => render('nope', p, 'en')).toThrow(/unknown notification template/);
  });
});
