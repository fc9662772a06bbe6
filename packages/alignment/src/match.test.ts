import { describe, expect, it } from 'vitest';
import { createInitiativeMatcher, createServiceMatcher, RequestTypeModel } from './match.ts';
import type { ConcernForMatching, InitiativeForMatching, ServiceForMatching } from './types.ts';

const citywide = { citywide: true, neighborhoodIds: [] };

function service(s: Partial<ServiceForMatching> & { id: string; name: string }): ServiceForMatching {
  return {
    description: null,
    organizationName: null,
    status: 'active',
    themes: [],
    languages: ['en'],
    eligibility: null,
    minimumAge: null,
    maximumAge: null,
    fees: null,
    coverage: citywide,
    ...s,
  };
}

const services: ServiceForMatching[] = [
  service({
    id: 'eviction-legal',
    name: 'Eviction Diversion and Tenant Legal Help',
    description: 'Free legal advice and court representation for tenants facing eviction.',
    themes: ['HOUSING'],
    languages: ['en', 'es'],
  }),
  service({
    id: 'rental-assistance-closed',
    name: 'Emergency Rental Assistance',
    description: 'Paid past-due rent for renters facing eviction.',
    status: 'Inactive',
    themes: ['HOUSING'],
  }),
  service({
    id: 'walltown-rentals',
    name: 'Permanently Affordable Rental Homes',
    description: 'Affordable rental homes for tenants at below-market rents.',
    themes: ['HOUSING'],
    coverage: { citywide: false, neighborhoodIds: ['walltown'] },
  }),
  service({
    id: 'streetlight-repair',
    name: 'Streetlight Outage Repair',
    description: 'Repairs streetlights that are out, flickering or damaged on public streets.',
    themes: ['INFRASTRUCTURE'],
  }),
  service({
    id: 'youth-sports',
    name: 'Youth Sports Leagues',
    description: 'Recreational basketball and soccer leagues for children.',
    themes: ['YOUTH', 'PARKS_RECREATION'],
    minimumAge: 5,
    maximumAge: 15,
  }),
];

function concern(c: Partial<ConcernForMatching> & { summary: string }): ConcernForMatching {
  return { themes: [], neighborhoodId: null, ...c };
}

describe('createServiceMatcher', () => {
  const matcher = createServiceMatcher(services);

  it('ranks the service that does what the concern needs first, with true reasons', () => {
    const r = matcher.rank(concern({ summary: 'My landlord gave me an eviction notice', themes: ['HOUSING'] }), 5);
    expect(r[0]?.id).toBe('eviction-legal');
    const helps = r[0]?.reasons.find((x) => x.kind === 'helps-with');
    expect(helps && helps.kind === 'helps-with' && helps.phrases.join(' ').toLowerCase()).toContain('eviction');
    expect(r[0]?.reasons).toContainEqual({ kind: 'theme', code: 'HOUSING' });
  });

  it('never suggests an inactive service', () => {
    for (const summary of ['I cannot pay past-due rent', 'Emergency rental assistance for renters facing eviction']) {
      expect(matcher.rank(concern({ summary }), 5).map((x) => x.id)).not.toContain('rental-assistance-closed');
    }
  });

  it('never suggests a neighborhood-limited service outside its neighborhoods or for a city-wide concern', () => {
    const text = 'We need affordable rental homes with below-market rents';
    const inside = matcher.rank(
      concern({ summary: text, neighborhoodId: 'walltown', neighborhoodName: 'Walltown' }),
      5,
    );
    expect(inside.map((x) => x.id)).toContain('walltown-rentals');
    expect(inside.find((x) => x.id === 'walltown-rentals')?.reasons).toContainEqual({
      kind: 'serves-neighborhood',
      neighborhoodName: 'Walltown',
    });
    expect(matcher.rank(concern({ summary: text, neighborhoodId: 'hayti' }), 5).map((x) => x.id)).not.toContain(
      'walltown-rentals',
    );
    expect(matcher.rank(concern({ summary: text }), 5).map((x) => x.id)).not.toContain('walltown-rentals');
  });

  it('abstains on a concern nothing in the directory addresses', () => {
    expect(matcher.rank(concern({ summary: 'City council members should have term limits' }), 5)).toEqual([]);
  });

  it('never suggests an excluded service', () => {
    const c = concern({ summary: 'Eviction notice from my landlord', excludedIds: ['eviction-legal'] });
    expect(matcher.rank(c, 5).map((x) => x.id)).not.toContain('eviction-legal');
  });

  it('respects age limits', () => {
    const seniors = concern({ summary: 'Seniors need basketball and soccer leagues' });
    expect(matcher.rank(seniors, 5).map((x) => x.id)).not.toContain('youth-sports');
    const kids = concern({ summary: 'Kids need basketball and soccer leagues' });
    expect(matcher.rank(kids, 5)[0]?.id).toBe('youth-sports');
  });

  it('never suggests a homeowners-only service to someone who rents', () => {
    const repairs = createServiceMatcher([
      service({
        id: 'owner-repairs',
        name: 'Urgent Home Repair Grants',
        description: 'Grants for emergency repairs such as a broken heating system or a leaking roof.',
        eligibility: 'Owner-occupied homes; household income at or below 60% of the area median.',
      }),
      service({
        id: 'code-enforcement',
        name: 'Housing Code Enforcement',
        description: 'Inspects homes with no heat or leaks and orders the owner to make repairs.',
        eligibility: 'Any tenant, owner or neighbor can report a home.',
      }),
    ]);
    const ids = (summary: string, language = 'en') => repairs.rank(concern({ summary, language }), 5).map((x) => x.id);
    for (const [summary, language] of [
      ['My landlord will not fix the broken heating system and the roof is leaking', 'en'],
      ['El casero no arregla la calefacción y el techo tiene goteras', 'es'],
      ['Tenants in our building have no heat and leaking roofs', 'en'],
    ] as const) {
      const got = ids(summary, language);
      expect(got).toContain('code-enforcement');
      expect(got).not.toContain('owner-repairs');
    }
    expect(ids('My heating system is broken and the roof of my home is leaking, I am a homeowner')).toContain(
      'owner-repairs',
    );
  });

  it("does not read a tenant-law service as gun violence (a landlord's retaliation is not a shooting)", () => {
    const tenantLaw = createServiceMatcher([
      service({
        id: 'tenant-law',
        name: 'Tenant Legal Help',
        description: 'Free legal advice for tenants facing eviction, unsafe conditions or retaliation.',
      }),
      service({ id: 'violence', name: 'Violence Interruption', description: 'Outreach workers stop shootings.' }),
    ]);
    const ids = tenantLaw.rank(concern({ summary: 'Gunshots every weekend near my house' }), 5).map((x) => x.id);
    expect(ids).toEqual(['violence']);
  });

  it("reads a child-care need as the parent's, not as a child's age", () => {
    const adultClasses = createServiceMatcher([
      service({
        id: 'esl',
        name: 'English classes for adults',
        description: 'Free English classes for adults, morning and evening.',
        minimumAge: 18,
      }),
    ]);
    for (const [summary, language] of [
      ['I want to take English classes but I have no daycare', 'en'],
      ['Quiero tomar clases de inglés pero no tengo guardería', 'es'],
    ] as const) {
      expect(adultClasses.rank(concern({ summary, language }), 5).map((x) => x.id)).toEqual(['esl']);
    }
    const kids = concern({ summary: 'English classes for my kids after school' });
    expect(adultClasses.rank(kids, 5)).toEqual([]);
  });

  it('serves a Spanish concern, preferring services offered in Spanish', () => {
    const r = matcher.rank(concern({ summary: 'Me llegó una orden de desalojo del casero', language: 'es' }), 5);
    expect(r[0]?.id).toBe('eviction-legal');
    expect(r[0]?.reasons).toContainEqual({ kind: 'language', language: 'es' });
    const light = matcher.rank(concern({ summary: 'La farola de mi calle está apagada', language: 'es' }), 5);
    expect(light[0]?.id).toBe('streetlight-repair');
    expect(light[0]?.reasons.some((x) => x.kind === 'language')).toBe(false);
  });
});

const policyTexts = [
  'Develop a citywide strategy to increase the supply of affordable housing',
  'City Council adopts policies and invests capital funding in new infrastructure projects',
  'Implement a long-range plan and evaluate performance measures across departments',
  'Expand community engagement so residents shape City budget and policy decisions',
];

describe('the request-type model (directory vs strategic plan)', () => {
  const model = new RequestTypeModel(
    services.map((s) => [s.name, s.description].filter(Boolean).join('. ')),
    policyTexts,
  );

  it('reads a resident’s need as a service need and a policy ask as policy', () => {
    const need = model.odds(concern({ summary: 'I need free legal advice, my landlord wants to evict me' }));
    const policy = model.odds(concern({ summary: 'City Council should adopt a strategy and invest in a plan' }));
    expect(need).toBeGreaterThan(0);
    expect(policy).toBeLessThan(0);
  });

  it('reads how a Spanish concern asks (gratis, ayuda, solicitud) as the English directory words it shares', () => {
    const directory = new RequestTypeModel(
      ['Free help applying for food assistance', 'Free legal help for tenants', 'Help with applications, at no cost'],
      policyTexts,
    );
    const asks = directory.odds(concern({ summary: 'Necesitamos ayuda gratis con la solicitud', language: 'es' }));
    const plain = directory.odds(concern({ summary: 'Necesitamos la estrategia de la ciudad', language: 'es' }));
    expect(asks).toBeGreaterThan(0);
    expect(asks).toBeGreaterThan(plain);
  });

  it('moves the threshold: a policy ask needs more relevance than a need', () => {
    const matcher = createServiceMatcher(services, { policyTexts });
    const need = matcher.candidates(concern({ summary: 'I need free legal advice about my eviction' }))[0];
    const policy = matcher.candidates(
      concern({ summary: 'City Council should adopt a strategy to invest in eviction policy' }),
    )[0];
    expect(need?.threshold).toBeLessThan(policy?.threshold as number);
    expect(matcher.rank(concern({ summary: 'City council members should have term limits' }), 5)).toEqual([]);
    expect(matcher.rank(concern({ summary: 'My landlord gave me an eviction notice' }), 5)[0]?.id).toBe(
      'eviction-legal',
    );
  });
});

describe('a resident speaking of their own situation', () => {
  it('needs less relevance than a statement about others, in English and Spanish', () => {
    const matcher = createServiceMatcher(services, { policyTexts });
    const unweighed = createServiceMatcher(services, { policyTexts, personalWeight: 0 });
    const threshold = (m: typeof matcher, summary: string, language = 'en') =>
      m.candidates(concern({ summary, language }))[0]?.threshold as number;
    for (const [summary, language] of [
      ['My landlord is trying to evict me', 'en'],
      ['Necesito ayuda, el dueño nos quiere desalojar', 'es'],
    ] as const) {
      expect(threshold(matcher, summary, language)).toBeCloseTo(threshold(unweighed, summary, language) - 0.2, 6);
    }
    const others = 'The landlord is trying to evict the tenants';
    expect(threshold(matcher, others)).toBeCloseTo(threshold(unweighed, others), 6);
  });

  it('still gets nothing when no service does what they ask', () => {
    const matcher = createServiceMatcher(services, { policyTexts });
    expect(matcher.rank(concern({ summary: 'I think city council members should have term limits' }), 5)).toEqual([]);
  });
});

describe('a concern saying what someone should or must do', () => {
  it('needs more relevance, in English and Spanish; the same concern without the modal does not', () => {
    const matcher = createServiceMatcher(services, { policyTexts });
    const unweighed = createServiceMatcher(services, { policyTexts, obligationWeight: 0 });
    const threshold = (m: typeof matcher, summary: string, language = 'en') =>
      m.candidates(concern({ summary, language }))[0]?.threshold as number;
    for (const [summary, language] of [
      ['The city should help tenants facing eviction', 'en'],
      ['La ciudad debería ayudar a los inquilinos con el desalojo', 'es'],
    ] as const) {
      expect(threshold(matcher, summary, language)).toBeCloseTo(threshold(unweighed, summary, language) + 0.1, 6);
    }
    const plain = 'Tenants facing eviction need help';
    expect(threshold(matcher, plain)).toBeCloseTo(threshold(unweighed, plain), 6);
  });
});

describe('a service built for speakers of the concern’s language', () => {
  const both = [
    ...services,
    service({
      id: 'latino-navigation',
      name: 'Immigrant Family Navigation',
      description: 'Spanish-speaking staff help Latino families with tenant problems and other services.',
      languages: ['en', 'es'],
    }),
    service({
      id: 'tenant-hotline',
      name: 'Tenant Hotline',
      description: 'Advice for tenants with problems.',
      languages: ['en'],
    }),
  ];
  const matcher = createServiceMatcher(both);

  it('ranks higher for a Spanish concern, not for an English one', () => {
    const without = createServiceMatcher(both, { languageCommunityBonus: 0 });
    const scoreOf = (m: typeof matcher, c: ConcernForMatching, id: string) =>
      m.candidates(c).find((x) => x.id === id)?.score ?? 0;
    const es = concern({ summary: 'Problemas con el inquilino y el casero', language: 'es' });
    const en = concern({ summary: 'Problems for tenants with the landlord', language: 'en' });
    expect(scoreOf(matcher, es, 'latino-navigation')).toBeGreaterThan(scoreOf(without, es, 'latino-navigation'));
    expect(scoreOf(matcher, es, 'tenant-hotline')).toBe(scoreOf(without, es, 'tenant-hotline'));
    expect(scoreOf(matcher, en, 'latino-navigation')).toBe(scoreOf(without, en, 'latino-navigation'));
  });

  it('does not make a concern answerable on its own', () => {
    expect(matcher.rank(concern({ summary: 'Que haya límites de mandato en el concejo', language: 'es' }), 5)).toEqual(
      [],
    );
  });
});

describe('createInitiativeMatcher', () => {
  const initiatives: InitiativeForMatching[] = [
    {
      id: 'i322',
      code: '3.22',
      title: 'Advance rental housing programs',
      description: 'Preserves and builds affordable rental homes.',
      narratives: ['Rents are rising faster than incomes.'],
      measureNames: ['Affordable rental units created'],
      themes: ['HOUSING'],
      leadDepartmentName: 'Community Development',
    },
    {
      id: 'i213',
      code: '2.13',
      title: 'Pilot and evaluate new community policing strategies',
      description: null,
      narratives: [],
      measureNames: [],
      themes: ['PUBLIC_SAFETY'],
      leadDepartmentName: 'Police',
    },
  ];
  const matcher = createInitiativeMatcher(initiatives);

  it('ranks the initiative that addresses the concern, with the plan reason', () => {
    const r = matcher.rank(concern({ summary: 'Rents keep rising and affordable rentals are gone' }), 5);
    expect(r[0]?.id).toBe('i322');
    expect(r[0]?.reasons).toContainEqual({
      kind: 'plan',
      initiativeCode: '3.22',
      leadDepartmentName: 'Community Development',
    });
    expect(r[0]?.reasons).toContainEqual({ kind: 'measure', measureName: 'Affordable rental units created' });
  });

  it('abstains when no initiative fits', () => {
    expect(matcher.rank(concern({ summary: 'The library should open on Sundays' }), 5)).toEqual([]);
  });
});
