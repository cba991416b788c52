import { describe, expect, it } from 'vitest';
import { decisionEmailPolicy, digestPeriod, isDigestDue, preferencesOf } from './preferences.ts';

describe('notification preferences', () => {
  it('defaults to every decision at 09:00 Asia/Shanghai', () => {
    expect(preferencesOf({})).toEqual({ mode: 'every', digestHour: 9, timeZone: 'Asia/Shanghai' });
  });

  it('a digest seller gets no per-order email; exceptions-only gets only unroutable decisions', () => {
    const digest = preferencesOf({ notifications: { mode: 'digest' } });
    expect(decisionEmailPolicy(digest, { status: 'unroutable' })).toEqual({ send: false, why: 'digest-seller' });
    const exceptions = preferencesOf({ notifications: { mode: 'exceptions' } });
    expect(decisionEmailPolicy(exceptions, { status: 'routed' })).toEqual({ send: false, why: 'exceptions-only-routed' });
    expect(decisionEmailPolicy(exceptions, { status: 'unroutable' })).toEqual({ send: true });
    expect(decisionEmailPolicy(preferencesOf(undefined), { status: 'routed' })).toEqual({ send: true });
  });

  it('the period ends at the last passed local digest hour and spans one day', () => {
    const prefs = preferencesOf({ notifications: { mode: 'digest', digestHour: 9, timeZone: 'Asia/Shanghai' } });
    // 09:05 Beijing on 3 Dec = 01:05 UTC.
    const p = digestPeriod(prefs, new Date('2026-12-03T01:05:00Z'));
    expect(p).toEqual({ date: '2026-12-03', start: new Date('2026-12-02T01:00:00Z'), end: new Date('2026-12-03T01:00:00Z') });
    // A retry 35 minutes later names the same period; one at 08:59 the previous one.
    expect(digestPeriod(prefs, new Date('2026-12-03T01:40:00Z')).date).toBe('2026-12-03');
    expect(digestPeriod(prefs, new Date('2026-12-03T00:59:00Z')).date).toBe('2026-12-02');
    expect(isDigestDue(prefs, new Date('2026-12-03T01:40:00Z'))).toBe(true);
    expect(isDigestDue(prefs, new Date('2026-12-03T02:00:00Z'))).toBe(false);
  });

  it('follows a zone with daylight saving time', () => {
    const prefs = preferencesOf({ notifications: { mode: 'digest', digestHour: 8, timeZone: 'Europe/Berlin' } });
    // 29 Mar 2026: Berlin moves to UTC+2; 08:00 local is 06:00 UTC, the day before 07:00 UTC.
    const p = digestPeriod(prefs, new Date('2026-03-29T12:00:00Z'));
    expect(p.start.toISOString()).toBe('2026-03-28T07:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-03-29T06:00:00.000Z');
  });
});
