import { describe, expect, it } from 'vitest';
import { describeReason } from './reasons.ts';

describe('describeReason', () => {
  it('words each reason in English and Spanish', () => {
    expect(describeReason({ kind: 'serves-neighborhood', neighborhoodName: 'Walltown' }, 'en')).toBe('Serves Walltown');
    expect(describeReason({ kind: 'serves-neighborhood', neighborhoodName: 'Walltown' }, 'es')).toBe(
      'Atiende a Walltown',
    );
    expect(describeReason({ kind: 'language', language: 'es' }, 'en')).toBe('Offered in Spanish');
    expect(describeReason({ kind: 'language', language: 'es' }, 'es')).toBe('Se ofrece en español');
    expect(describeReason({ kind: 'helps-with', phrases: ['tenants facing eviction'] }, 'en')).toBe(
      'Helps with “tenants facing eviction”',
    );
    expect(describeReason({ kind: 'helps-with', phrases: ['a', 'b'] }, 'es')).toBe('Ayuda con “a” y “b”');
    expect(describeReason({ kind: 'plan', initiativeCode: '3.22', leadDepartmentName: null }, 'es')).toContain('3.22');
    expect(describeReason({ kind: 'theme', code: 'HOUSING' }, 'es')).toBe('Mismo tema: Vivienda');
    expect(describeReason({ kind: 'theme', code: 'HOUSING' }, 'en')).toBe('Same theme: Housing');
  });
});
