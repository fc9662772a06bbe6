import { stableId } from '@civic/reference-data/stable-id';
import type { EngagementPrisma } from '../db.ts';
import type { ConcernStatus } from '../generated/prisma/enums.ts';
import { demoConcernId, SEED_ACTOR } from './demo-ids.ts';

/**
 * A caseworker's work on some demo concerns, so that concern pages show answers and aligned
 * services and initiatives: the status history with the city's public notes (English; Spanish
 * concerns are answered in Spanish, with an English version — both written by hand, not machine
 * translations), and staff-accepted links to directory services (their HSDS ids, see
 * `alignment/directory/`) and strategic-plan initiatives (stableId('initiative', code)).
 * Chosen by reading each concern and the directory, as staff would: not taken from any labelled set.
 */

/** Directory services, by their HSDS ids (which stay their ids when imported). */
const SERVICE = {
  streetlightOutage: 'b3fe5614-789b-5a20-9e72-d3a18a287191',
  urgentRepair: '5e9e0cc8-0360-5f2d-a552-749affa850e5',
  housingCode: '614e664e-c573-551d-a439-728e39eface0',
  trafficCalming: 'f56c4bba-dcf9-569e-8fbd-2d82e4830d6c',
  accessParatransit: 'ec07aafe-be10-5fc8-b484-235d99655dd8',
  streetRepair: 'd759de33-8c69-50ee-9155-5842616f9260',
  stormwater: '4a9a063d-e919-54bc-8008-438ab9103d73',
  illegalDumping: 'f1de0f4d-e2ff-53d6-aa3e-9a1adf0488d8',
  parkRepair: '0f6ef077-9b20-5077-8414-47a49a0dd4a8',
  youthWorks: '55b029a6-142d-5a4e-bb3c-3ef5a7bbf4ef',
  ncWorks: '4024966b-07f0-51f8-b96e-68c9ef0ec2e0',
  heart: '53e6aa79-09bd-57fe-ae29-5d53a85244d7',
  bullCityUnited: '0058941a-0d8b-5383-8b61-c5ccfff51638',
  communityHealthWorkers: 'c50c0cfe-1c2d-5617-a7aa-05e6217eae67',
  languageAccess: '7070ffb1-4cad-5b33-b6e8-51bb0e2f560f',
  resilienceHub: '555670f0-56f4-5ef0-86ea-542888cb7ded',
  energyAssistance: '8f1f3e96-ed41-5ccb-a41e-65f7eb8afeda',
  snapMedicaid: '88ee89c2-414f-56cf-973d-2f080a8a8da9',
  evictionLegalHelp: '693b0ded-9c38-533a-b28d-c4e524a9b1b4',
  adultShelter: '397f9ce5-543e-5995-aeae-0af4a8c873cf',
  eslClasses: 'dc39fef2-b248-5359-a63c-4db92bedd984',
} as const;
export const DEMO_ALIGNED_SERVICES: readonly string[] = Object.values(SERVICE);

interface Step {
  status: ConcernStatus;
  /** Days after the conversation. */
  day: number;
  en: string;
  /** Given for concerns in Spanish: the note as written for the resident, with `en` its English version. */
  es?: string;
  /** ADDRESSED: the day the city acted, as days after the conversation. */
  actedDay?: number;
}

export interface DemoAnswer {
  conversation: string;
  summary: string;
  services?: (keyof typeof SERVICE)[];
  initiatives?: string[];
  rationale: string;
  steps: Step[];
}

const review = (day: number, en: string, es?: string): Step => ({ status: 'UNDER_REVIEW', day, en, es });
const aligned = (day: number, en: string, es?: string): Step => ({ status: 'ALIGNED', day, en, es });
const inProgress = (day: number, en: string, es?: string): Step => ({ status: 'IN_PROGRESS', day, en, es });
const addressed = (day: number, actedDay: number, en: string, es?: string): Step => ({
  status: 'ADDRESSED',
  day,
  actedDay,
  en,
  es,
});

export const DEMO_ANSWERS: readonly DemoAnswer[] = [
  {
    conversation: 'hayti-2025-03',
    summary: 'Streetlights out along Fayetteville Street',
    services: ['streetlightOutage'],
    rationale: 'Existing streetlights that are out: Duke Energy repairs them on an outage report.',
    steps: [
      review(3, 'Transportation staff are checking which poles are out between Lawson and Umstead.'),
      aligned(6, 'The three lights are Duke Energy poles; outage reports were filed with Duke Energy.'),
      inProgress(14, 'Duke Energy has scheduled the repair of the three lights.'),
    ],
  },
  {
    conversation: 'centro-hispano-2025-06',
    summary: 'No hay luz en la calle Fayetteville, da miedo caminar de noche',
    services: ['streetlightOutage'],
    rationale: 'Same Fayetteville Street outage: reported to Duke Energy, which repairs the lights.',
    steps: [
      aligned(
        5,
        'We reported the lights that are out on Fayetteville Street to Duke Energy, which repairs them.',
        'Reportamos a Duke Energy las luces apagadas de la calle Fayetteville; Duke Energy es quien las repara.',
      ),
    ],
  },
  {
    conversation: 'hayti-2025-03',
    summary: "Rents in Hayti are going up so fast the families who've been here for generations can't stay",
    services: ['evictionLegalHelp'],
    initiatives: ['3.22', '3.21'],
    rationale:
      'Displacement by rising rents: the rental and homeownership programs of the plan, and legal help for tenants facing a rent increase or eviction.',
    steps: [
      review(7, 'Community Development is reviewing this with the housing programs of the strategic plan.'),
      aligned(
        21,
        'Linked to the plan’s rental (3.22) and homeownership (3.21) programs; tenants facing a large increase can get free legal advice from Legal Aid.',
      ),
    ],
  },
  {
    conversation: 'hayti-2025-03',
    summary: "I'm in a wheelchair now and can't get out of my house, I need a ramp",
    services: ['urgentRepair'],
    initiatives: ['3.21'],
    rationale: 'The Urgent Repair Program builds accessibility ramps for low-income homeowners.',
    steps: [
      aligned(4, 'The Urgent Repair Program builds ramps for homeowners; staff will call to start the application.'),
      inProgress(30, 'The application was approved and a contractor will build the ramp.'),
    ],
  },
  {
    conversation: 'hayti-2025-03',
    summary: 'Need a place to get help applying for Medicaid in person, the website keeps kicking me out',
    services: ['snapMedicaid'],
    rationale: 'Durham County Social Services takes Medicaid applications in person.',
    steps: [
      aligned(2, 'Durham County Social Services helps with Medicaid applications in person, without appointment.'),
    ],
  },
  {
    conversation: 'walltown-2025-04',
    summary: "Landlord won't fix the mold in our bathroom",
    services: ['housingCode'],
    rationale: 'Mold a landlord will not fix is a minimum housing code case.',
    steps: [
      aligned(3, 'A housing code inspector will inspect the unit and order the owner to repair it.'),
      inProgress(10, 'The inspector found violations and gave the owner 30 days to repair.'),
      addressed(45, 42, 'The re-inspection found the mold removed and the ventilation repaired.'),
    ],
  },
  {
    conversation: 'walltown-2025-04',
    summary: 'The swings at Walltown Park have been broken since last fall',
    services: ['parkRepair'],
    rationale: 'Broken playground equipment in a city park: a Parks and Recreation repair request.',
    steps: [
      aligned(2, 'A repair request was opened with Parks and Recreation.'),
      addressed(40, 37, 'New swing seats and chains were installed at Walltown Park.'),
    ],
  },
  {
    conversation: 'walltown-2025-04',
    summary: 'I got laid off from the hospital kitchen and need training for something that pays better',
    services: ['ncWorks'],
    initiatives: ['1.21'],
    rationale: 'Retraining after a layoff: the NCWorks Career Center, and the plan’s training partnerships.',
    steps: [aligned(5, 'The NCWorks Career Center offers job training and placement after a layoff.')],
  },
  {
    conversation: 'east-durham-2025-05',
    summary: 'Speed bumps on Driver Street please, cars race through to get to Holloway',
    services: ['trafficCalming'],
    rationale: 'Speeding on a residential street: the Neighborhood Traffic Calming Program.',
    steps: [
      review(5, 'Transportation will count speeds on Driver Street.'),
      aligned(40, 'Driver Street qualified for the traffic calming program; speed humps are on the list.'),
    ],
  },
  {
    conversation: 'east-durham-2025-05',
    summary: 'The potholes on Angier Ave by the gas station are wrecking tires',
    services: ['streetRepair'],
    rationale: 'Potholes on a city street: a Public Works repair request.',
    steps: [
      aligned(1, 'A pothole repair request was opened with Public Works.'),
      addressed(9, 8, 'Public Works patched the potholes on Angier Avenue.'),
    ],
  },
  {
    conversation: 'east-durham-2025-05',
    summary: 'Clases de inglés en la noche por favor, trabajo todo el día',
    services: ['eslClasses'],
    rationale: 'Evening English classes: Durham Tech’s free ESL classes include evening sessions.',
    steps: [
      aligned(
        4,
        'Durham Tech offers free English classes, including evening classes.',
        'Durham Tech ofrece clases de inglés gratuitas, también por la noche.',
      ),
    ],
  },
  {
    conversation: 'east-durham-2025-05',
    summary: 'Too many shootings on the east side, we need Bull City United out here more',
    services: ['bullCityUnited'],
    rationale: 'Gun violence in East Durham: Bull City United’s violence interrupters work in this area.',
    steps: [aligned(6, 'Shared with Bull City United, whose violence interrupters work in East Durham.')],
  },
  {
    conversation: 'centro-hispano-2025-06',
    summary: 'Nos subieron la renta 300 dólares y el dueño dice que si no nos gusta nos vayamos',
    services: ['evictionLegalHelp'],
    initiatives: ['3.22'],
    rationale: 'A tenant threatened with losing the home after a rent increase: free tenant legal help.',
    steps: [
      aligned(
        3,
        'Legal Aid of North Carolina gives tenants free advice on rent increases and evictions.',
        'Legal Aid of North Carolina asesora gratis a los inquilinos sobre aumentos de renta y desalojos.',
      ),
    ],
  },
  {
    conversation: 'centro-hispano-2025-06',
    summary: 'La cuenta de la luz está carísima, en agosto pagamos 380 dólares',
    services: ['energyAssistance'],
    rationale: 'A power bill the household cannot pay: county energy assistance.',
    steps: [
      aligned(
        3,
        'Durham County Social Services can help pay the power bill through its energy assistance programs.',
        'Servicios Sociales del Condado de Durham puede ayudar a pagar la cuenta de la luz con sus programas de asistencia de energía.',
      ),
    ],
  },
  {
    conversation: 'centro-hispano-2025-06',
    summary: 'Las cartas de la ciudad llegan solo en inglés',
    services: ['languageAccess'],
    initiatives: ['3.13'],
    rationale: 'City letters only in English: the city’s language access services.',
    steps: [
      review(
        4,
        'The Department of Equity and Inclusion is reviewing which city letters go out only in English.',
        'El Departamento de Equidad e Inclusión está revisando qué cartas de la ciudad se envían solo en inglés.',
      ),
      inProgress(
        60,
        'Utility and housing letters are being translated into Spanish.',
        'Se están traduciendo al español las cartas de servicios públicos y de vivienda.',
      ),
    ],
  },
  {
    conversation: 'southside-2025-07',
    summary: 'Storm drains on our street are clogged and the whole block floods',
    services: ['stormwater'],
    rationale: 'Clogged storm drains and street flooding: stormwater drainage assistance.',
    steps: [
      aligned(2, 'Stormwater crews will clean the drains on the block.'),
      addressed(12, 10, 'The storm drains on the block were cleaned out.'),
    ],
  },
  {
    conversation: 'southside-2025-07',
    summary: 'Power bill doubled this summer, had to choose between the lights and food',
    services: ['energyAssistance', 'resilienceHub'],
    rationale: 'Energy costs: county energy assistance, and the Southside resilience hub as a cooling center.',
    steps: [
      aligned(
        4,
        'County energy assistance can help with the bill; the Southside resilience hub is open as a cooling center.',
      ),
    ],
  },
  {
    conversation: 'budget-virtual-2025-08',
    summary: 'Expand HEART so counselors, not cops, answer mental health calls',
    services: ['heart'],
    initiatives: ['2.11'],
    rationale: 'HEART sends crisis counselors to mental health calls; the plan’s familiar-neighbors initiative.',
    steps: [aligned(14, 'Noted for the budget: HEART’s expansion is part of the strategic plan (2.11).')],
  },
  {
    conversation: 'budget-virtual-2025-08',
    summary: 'Put more money into paid summer jobs for teens',
    services: ['youthWorks'],
    initiatives: ['1.23'],
    rationale: 'Paid summer jobs for teens: Durham YouthWorks, which the plan expands (1.23).',
    steps: [aligned(14, 'The plan expands the YouthWorks summer internships (initiative 1.23).')],
  },
  {
    conversation: 'budget-virtual-2025-08',
    summary: 'Term limits for city council members',
    rationale: '',
    steps: [
      {
        status: 'NOT_FEASIBLE',
        day: 20,
        en: 'Council term limits would need a change to the City Charter, which city staff cannot make; the comment was passed to the City Council.',
      },
    ],
  },
  {
    conversation: 'trinity-oldnorth-2025-09',
    summary: 'Encampment by Ellerbe Creek - people there need services, not sweeps',
    services: ['adultShelter', 'heart'],
    initiatives: ['2.11'],
    rationale: 'People living outside: shelter beds and HEART’s outreach to familiar neighbors.',
    steps: [aligned(5, 'HEART’s outreach team visits the encampment and offers shelter at Urban Ministries.')],
  },
  {
    conversation: 'few-gardens-2025-10',
    summary: 'Hay hongo en las paredes del apartamento y el dueño no lo arregla',
    services: ['housingCode'],
    rationale: 'Mold the landlord will not fix: a minimum housing code inspection.',
    steps: [
      aligned(
        3,
        'A housing code inspector will inspect the apartment and order the owner to repair it.',
        'Un inspector de vivienda revisará el apartamento y le ordenará al dueño hacer las reparaciones.',
      ),
    ],
  },
  {
    conversation: 'few-gardens-2025-10',
    summary: 'Nos quieren desalojar y no sabemos nuestros derechos',
    services: ['evictionLegalHelp'],
    rationale: 'Tenants facing eviction who do not know their rights: free tenant legal help.',
    steps: [
      aligned(
        2,
        'Legal Aid of North Carolina explains tenants’ rights for free and can go to court with you.',
        'Legal Aid of North Carolina explica gratis los derechos de los inquilinos y puede acompañarle en la corte.',
      ),
    ],
  },
  {
    conversation: 'necd-pac1-2025-11',
    summary: 'Illegal dumping at the dead end of Hyde Park Ave every week',
    services: ['illegalDumping'],
    rationale: 'Dumping on a public street: Solid Waste’s illegal dumping cleanup.',
    steps: [
      aligned(1, 'Solid Waste will clear the dumped items at the end of Hyde Park Avenue.'),
      addressed(6, 5, 'The dumped items were removed.'),
    ],
  },
  {
    conversation: 'westend-lakewood-2026-01',
    summary: 'The community health worker who came to my house got me my diabetes meds, we need more of that',
    services: ['communityHealthWorkers'],
    rationale: 'Home visits by community health workers, which serve West End and Walltown.',
    steps: [aligned(7, 'Shared with the county’s community health worker program for West End and Walltown.')],
  },
  {
    conversation: 'online-2026-02',
    summary: 'Que pongan los avisos de la ciudad en español también',
    services: ['languageAccess'],
    initiatives: ['3.13'],
    rationale: 'City notices only in English: the city’s language access services.',
    steps: [
      aligned(
        6,
        'The Department of Equity and Inclusion is translating city notices into Spanish.',
        'El Departamento de Equidad e Inclusión está traduciendo los avisos de la ciudad al español.',
      ),
    ],
  },
  {
    conversation: 'online-2026-02',
    summary: 'Mi papá usa silla de ruedas y no puede subir al autobús',
    services: ['accessParatransit'],
    rationale: 'A wheelchair user who cannot board the bus: GoDurham ACCESS paratransit.',
    steps: [
      aligned(
        3,
        'GoDurham ACCESS takes riders who use a wheelchair door to door; we can help with the application.',
        'GoDurham ACCESS lleva de puerta a puerta a quienes usan silla de ruedas; podemos ayudarle con la solicitud.',
      ),
    ],
  },
];

/** The citywide group of the demo: the same issue (no sidewalk on the walk to school) heard in several places. */
export const DEMO_CITYWIDE = {
  id: stableId('citywide-concern', 'sidewalks'),
  title: 'Sidewalks on the walk to school',
  summary:
    'Residents of East Durham, Lakewood and others online, in English and Spanish, say children walk to school or the bus in the street for lack of a sidewalk.',
  themes: ['TRANSPORTATION', 'INFRASTRUCTURE'],
  concerns: [
    ['east-durham-2025-05', 'No sidewalk on the walk to Y.E. Smith Elementary so kids walk in the street'],
    ['westend-lakewood-2026-01', 'No sidewalks on the side streets off Lakewood, kids walk to the bus in the road'],
    ['online-2026-02', 'Faltan banquetas, los niños caminan a la escuela por la calle'],
  ] as [string, string][],
};

const DAY = 86_400_000;

/**
 * Writes the demo answers, alignments and citywide group once (a second run finds the seed's
 * alignments and writes nothing). Concerns are found by their stable ids: a missing one is an error.
 */
export async function seedDemoAnswers(prisma: EngagementPrisma) {
  const done = await prisma.alignment.count({ where: { alignedBy: SEED_ACTOR } });
  if (done > 0) return { answered: 0, alignments: 0 };
  const ids = DEMO_ANSWERS.map((a) => demoConcernId(a.conversation, a.summary));
  const found = await prisma.concern.findMany({
    where: { id: { in: ids } },
    select: { id: true, status: true, conversation: { select: { heldOn: true } } },
  });
  const byId = new Map(found.map((c) => [c.id, c]));
  const missing = DEMO_ANSWERS.find((_a, i) => !byId.has(ids[i] as string));
  if (missing) throw new Error(`demo answers: no concern "${missing.summary}" in ${missing.conversation}`);
  let alignments = 0;
  await prisma.$transaction(
    async (tx) => {
      for (const [i, answer] of DEMO_ANSWERS.entries()) {
        const concern = byId.get(ids[i] as string) as (typeof found)[number];
        const heldOn = concern.conversation?.heldOn.getTime() ?? Date.now();
        const at = (day: number) => new Date(heldOn + day * DAY + 15 * 3_600_000);
        let from = concern.status;
        for (const step of answer.steps) {
          await tx.concernStatusChange.create({
            data: {
              concernId: concern.id,
              fromStatus: from,
              toStatus: step.status,
              publicNote: step.es ?? step.en,
              publicNoteLanguage: step.es ? 'es' : 'en',
              publicNoteTranslation: step.es ? step.en : null,
              evidenceActionOn: step.actedDay === undefined ? null : at(step.actedDay),
              changedBy: SEED_ACTOR,
              changedAt: at(step.day),
            },
          });
          from = step.status;
        }
        await tx.concern.update({ where: { id: concern.id }, data: { status: from } });
        const alignedAt = at(answer.steps[0]?.day ?? 0);
        const rows = [
          ...(answer.services ?? []).map((s) => ({ serviceId: SERVICE[s] })),
          ...(answer.initiatives ?? []).map((code) => ({ initiativeId: stableId('initiative', code) })),
        ];
        await tx.alignment.createMany({
          data: rows.map((r) => ({
            ...r,
            concernId: concern.id,
            rationale: answer.rationale,
            alignedBy: SEED_ACTOR,
            alignedAt,
          })),
        });
        alignments += rows.length;
      }
      await tx.citywideConcern.create({
        data: {
          id: DEMO_CITYWIDE.id,
          title: DEMO_CITYWIDE.title,
          summary: DEMO_CITYWIDE.summary,
          themes: DEMO_CITYWIDE.themes,
          createdBy: SEED_ACTOR,
          concerns: { connect: DEMO_CITYWIDE.concerns.map(([key, summary]) => ({ id: demoConcernId(key, summary) })) },
        },
      });
    },
    { timeout: 60_000 },
  );
  return { answered: DEMO_ANSWERS.length, alignments };
}
