import { describe, expect, it } from 'vitest';
import { actorLabel, actorOf } from './actor.ts';

describe('actorOf', () => {
  it('is the subject and role; a caller without a subject is anonymous', () => {
    expect(actorOf({ role: 'STAFF', subject: 'ana' })).toEqual({ subject: 'ana', role: 'STAFF' });
    expect(actorOf({ role: 'PUBLIC', subject: null })).toEqual({ subject: 'anonymous', role: 'PUBLIC' });
  });

  it('reads as role:subject in one text column', () => {
    expect(actorLabel(actorOf({ role: 'STAFF', subject: 'ana' }))).toBe('staff:ana');
    expect(actorLabel(actorOf({ role: 'PARTNER', subject: 'habitat-key' }))).toBe('partner:habitat-key');
  });
});
