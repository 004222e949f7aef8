import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SCORE, WEIGHTS, rankCandidates, scoreCandidate, type CandidateFacts } from './scoring.js';

const facts = fc.record<CandidateFacts>({
  userId: fc.string({ minLength: 1, maxLength: 6 }),
  name: fc.constantFrom('张社工', '刘社工', '周志愿', '李站长', 'A', 'B'),
  role: fc.constantFrom('social_worker', 'station_head', 'volunteer'),
  hasSkill: fc.boolean(),
  coversVillage: fc.boolean(),
  recentServicesInVillage: fc.nat(50),
  openRequests: fc.nat(30),
  upcomingAppointments: fc.nat(30),
  availableMinutes: fc.nat(3 * 24 * 60),
  onRequest: fc.boolean(),
});

const base: CandidateFacts = {
  userId: 'u1',
  name: '张社工',
  role: 'social_worker',
  hasSkill: false,
  coversVillage: false,
  recentServicesInVillage: 0,
  openRequests: 0,
  upcomingAppointments: 0,
  availableMinutes: 0,
  onRequest: false,
};

describe('scoreCandidate', () => {
  it('gives each part its documented weight', () => {
    expect(scoreCandidate(base).parts).toEqual({ skill: 0, village: 0, workload: 20, availability: 0 });
    const all = scoreCandidate({ ...base, hasSkill: true, coversVillage: true, recentServicesInVillage: 9, availableMinutes: 600 });
    expect(all.parts).toEqual({ skill: 40, village: 35, workload: 20, availability: 15 });
    expect(all.score).toBe(MAX_SCORE);
    expect(scoreCandidate({ ...base, openRequests: 3, upcomingAppointments: 2 }).parts.workload).toBe(10);
    expect(scoreCandidate({ ...base, openRequests: 12 }).parts.workload).toBe(0);
    expect(scoreCandidate({ ...base, availableMinutes: 240 }).parts.availability).toBe(8);
    // A volunteer without weekly hours helps on request: counted as available.
    expect(scoreCandidate({ ...base, role: 'volunteer', onRequest: true }).parts.availability).toBe(WEIGHTS.availability);
  });

  it('ignores nonsense counts (negative, fractional, NaN) rather than rewarding them', () => {
    const s = scoreCandidate({ ...base, openRequests: -5, upcomingAppointments: Number.NaN, recentServicesInVillage: -3, availableMinutes: -60 });
    expect(s.parts).toEqual({ skill: 0, village: 0, workload: 20, availability: 0 });
  });

  it('stays within 0..MAX_SCORE and equals the sum of its parts', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const s = scoreCandidate(f);
        const sum = s.parts.skill + s.parts.village + s.parts.workload + s.parts.availability;
        return s.score === sum && s.score >= 0 && s.score <= MAX_SCORE && Number.isInteger(s.score);
      }),
    );
  });

  it('adding the skill never lowers the score', () => {
    fc.assert(fc.property(facts, (f) => scoreCandidate({ ...f, hasSkill: true }).score >= scoreCandidate({ ...f, hasSkill: false }).score));
  });

  it('covering the village or more recent services there never lowers the score', () => {
    fc.assert(
      fc.property(facts, fc.nat(10), (f, more) => {
        const s = scoreCandidate(f).score;
        return scoreCandidate({ ...f, coversVillage: true }).score >= s && scoreCandidate({ ...f, recentServicesInVillage: f.recentServicesInVillage + more }).score >= s;
      }),
    );
  });

  it('more workload never raises the score', () => {
    fc.assert(
      fc.property(facts, fc.nat(10), fc.nat(10), (f, a, b) => {
        const more = scoreCandidate({ ...f, openRequests: f.openRequests + a, upcomingAppointments: f.upcomingAppointments + b });
        return more.score <= scoreCandidate(f).score;
      }),
    );
  });

  it('more available time never lowers the score', () => {
    fc.assert(fc.property(facts, fc.nat(600), (f, more) => scoreCandidate({ ...f, availableMinutes: f.availableMinutes + more }).score >= scoreCandidate(f).score));
  });
});

describe('rankCandidates', () => {
  const byId = fc.uniqueArray(facts, { selector: (f) => f.userId, maxLength: 12 });

  it('orders best first, whatever order the facts come in (ties broken deterministically)', () => {
    fc.assert(
      fc.property(byId, fc.infiniteStream(fc.nat()), (list, seeds) => {
        const shuffled = [...list];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = seeds.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = rankCandidates(list).map((s) => s.userId);
        const b = rankCandidates(shuffled).map((s) => s.userId);
        const ranked = rankCandidates(list);
        const sorted = ranked.every((s, i) => i === 0 || ranked[i - 1]!.score >= s.score);
        return sorted && JSON.stringify(a) === JSON.stringify(b);
      }),
    );
  });

  it('breaks a tie by less workload, then name, then id', () => {
    const a = { ...base, userId: 'b', name: '乙', openRequests: 0, availableMinutes: 480 };
    const b = { ...base, userId: 'a', name: '甲', upcomingAppointments: 0, availableMinutes: 480 };
    const c = { ...base, userId: 'c', name: '乙', availableMinutes: 480 };
    // Equal scores and load: by name (code point order, 乙 before 甲), then by id.
    expect(rankCandidates([a, b, c]).map((s) => s.userId)).toEqual(['b', 'c', 'a']);
    // Equal scores (73 each), different load: the less loaded one first, whatever the name.
    const busy = { ...base, userId: 'x', name: 'A', hasSkill: true, openRequests: 1, availableMinutes: 480 };
    const idle = { ...base, userId: 'y', name: 'B', hasSkill: true, availableMinutes: 416 };
    const [first, second] = rankCandidates([busy, idle]);
    expect(first!.score).toBe(second!.score);
    expect(first!.userId).toBe('y');
  });

  it('adding a skill never moves a candidate down relative to the others', () => {
    fc.assert(
      fc.property(byId, fc.nat(), (list, k) => {
        if (list.length === 0) return true;
        const i = k % list.length;
        const target = list[i]!.userId;
        const before = rankCandidates(list).findIndex((s) => s.userId === target);
        const after = rankCandidates(list.map((f, j) => (j === i ? { ...f, hasSkill: true } : f))).findIndex((s) => s.userId === target);
        return after <= before;
      }),
    );
  });
});
