import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { decodeCursorParts, encodeCursor, isIsoInstant, parseInstant } from './pagination.js';

describe('cursor parts', () => {
  it('round-trips what the app writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.uuid(), (n, d, id) => {
        const c = encodeCursor(`${n}|${d.toISOString()}|${id}`);
        expect(decodeCursorParts(c, ['int', 'instant', 'id'] as const)).toEqual([n, d.toISOString(), id]);
      }),
    );
  });

  it('answers 400 for anything forged, never passing junk on', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        const c = encodeCursor(`${a}|${b}`);
        try {
          const [n, at] = decodeCursorParts(c, ['int', 'instant'] as const)!;
          expect(Number.isSafeInteger(n)).toBe(true);
          expect(isIsoInstant(at)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).status).toBe(400);
        }
      }),
    );
    expect(() => decodeCursorParts(encodeCursor('x|2026-01-01T00:00:00.000Z'), ['int', 'instant'] as const)).toThrow(AppError);
    expect(() => decodeCursorParts(encodeCursor('1'), ['int', 'instant'] as const)).toThrow(AppError);
  });

  it('refuses a leap second as a 400 naming the field', () => {
    expect(() => parseInstant('2026-06-30T23:59:60Z', 'start')).toThrow(AppError);
    expect(parseInstant('2026-06-30T23:59:59Z', 'start').toISOString()).toBe('2026-06-30T23:59:59.000Z');
  });
});
