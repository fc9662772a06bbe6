import type { ProgramSeed } from './types.ts';

/**
 * Real City of Durham programs, by department slug (see @civic/reference-data/departments).
 * Names and purposes follow the city's public pages; eligibility, budgets and areas are
 * illustrative demo values, not city figures.
 */
export const CITY_PROGRAMS: Record<string, ProgramSeed[]> = {
  'neighborhood-improvement-services': [
    {
      slug: 'nis-rental-housing',
      name: 'Rental Housing Quality',
      description: 'Inspections and code enforcement that keep rental homes safe and decent.',
      services: [
        {
          slug: 'proactive-rental-inspection',
          name: 'Proactive Rental Inspection Program',
          description:
            'Inspectors check rental housing in designated neighborhoods for minimum housing code violations (heat, water, structural safety, pests) and work with landlords on repairs.',
          themes: ['HOUSING'],
          eligibility: 'Tenants and owners of rental homes in the program areas.',
          fees: 'Free for tenants.',
          applicationProcess:
            'Inspections are scheduled by the city; tenants may also request one through Durham One Call (919-560-1200).',
          area: {
            neighborhoods: ['old-east-durham', 'albright', 'cleveland-holloway'],
            description: 'Designated rental inspection areas in east and northeast Durham.',
          },
          languages: ['en', 'es'],
          annualBudget: 640_000,
          fiscalYear: 2026,
          location: 'city-hall',
          initiatives: [
            { code: '3.22', note: 'Keeps existing rental housing safe while affordability programs expand.' },
          ],
        },
        {
          slug: 'housing-code-complaints',
          name: 'Minimum Housing Code Complaints',
          description:
            'Residents report unsafe or substandard housing conditions; an inspector visits and orders repairs from the owner.',
          themes: ['HOUSING'],
          eligibility: 'Any Durham resident, tenant or neighbor.',
          fees: 'Free.',
          applicationProcess: 'Call Durham One Call at 919-560-1200 or submit a request online.',
          area: { citywide: true },
          languages: ['en', 'es'],
          annualBudget: 410_000,
          fiscalYear: 2026,
        },
      ],
    },
    {
      slug: 'nis-neighborhood-engagement',
      name: 'Neighborhood Engagement',
      description: 'Support for neighborhood associations and resident-led improvement projects.',
      services: [
        {
          slug: 'neighborhood-matching-grants',
          name: 'Neighborhood Matching Grants',
          description:
            'Small grants, matched by volunteer time or donations, for resident-led beautification and community-building projects.',
          themes: ['CIVIC_ENGAGEMENT', 'PARKS_RECREATION'],
          eligibility: 'Registered neighborhood associations and resident groups.',
          applicationProcess: 'Apply during the annual grant round; staff help with the application.',
          area: { citywide: true },
          annualBudget: 150_000,
          fiscalYear: 2026,
          initiatives: [{ code: '3.11', note: 'Grants resident-led projects as a pathway to engagement.' }],
        },
      ],
    },
  ],
  'community-development': [
    {
      slug: 'cd-home-repair',
      name: 'Home Repair and Preservation',
      description: 'Repairs that let low-income owners stay safely in their homes.',
      services: [
        {
          slug: 'urgent-repair',
          name: 'Urgent Repair Program',
          description:
            'Grants for urgent home repairs that threaten health or safety: roofs, heating, plumbing, electrical, accessibility ramps.',
          themes: ['HOUSING'],
          eligibility:
            'Owner-occupants in the City of Durham with household income at or below 80% of area median income; priority for seniors and residents with disabilities.',
          minimumAge: 18,
          fees: 'Free (grant).',
          applicationProcess: 'Apply online or at City Hall; bring proof of ownership and income.',
          area: { wards: [1, 3], description: 'Owner-occupied homes in wards 1 and 3 (demo targeting).' },
          languages: ['en', 'es'],
          annualBudget: 1_200_000,
          fiscalYear: 2026,
          location: 'city-hall',
          initiatives: [{ code: '3.21', note: 'Preserves existing homeownership for low-income owners.' }],
        },
        {
          slug: 'down-payment-assistance',
          name: 'Down Payment Assistance',
          description:
            'Deferred, forgivable loans toward the down payment and closing costs for first-time homebuyers buying in Durham.',
          themes: ['HOUSING', 'ECONOMIC_OPPORTUNITY'],
          eligibility:
            'First-time homebuyers with household income at or below 80% of area median income who complete homebuyer education.',
          minimumAge: 18,
          fees: 'No fee; loan forgiven after the affordability period.',
          applicationProcess: 'Apply through a participating lender after homebuyer education.',
          area: { citywide: true },
          annualBudget: 900_000,
          fiscalYear: 2026,
          initiatives: [{ code: '3.21', note: 'Direct support for first-time homebuyers.' }],
        },
      ],
    },
    {
      slug: 'cd-housing-stability',
      name: 'Housing Stability',
      description: 'Help for renters facing eviction or losing housing.',
      services: [
        {
          slug: 'eviction-diversion',
          name: 'Eviction Diversion Program',
          description:
            'Free legal help and mediation for tenants facing eviction, run with legal aid partners and funded by the city.',
          themes: ['HOUSING'],
          eligibility: 'Durham tenants with an eviction notice or court date.',
          fees: 'Free.',
          applicationProcess:
            'Call the eviction diversion hotline or come to the courthouse help desk on eviction court days.',
          area: { citywide: true },
          languages: ['en', 'es'],
          annualBudget: 500_000,
          fiscalYear: 2026,
          initiatives: [{ code: '3.22', note: 'Keeps renters housed while longer-term rental programs expand.' }],
        },
        {
          slug: 'covid-rental-assistance',
          name: 'Emergency Rental Assistance (COVID-19)',
          description: 'Pandemic-era rent and utility assistance for renters. The program has ended; funds are spent.',
          themes: ['HOUSING'],
          eligibility: 'Renters who lost income during the COVID-19 pandemic (program ended).',
          area: { wards: [1, 2, 3] },
          status: 'DEFUNCT',
          fiscalYear: 2022,
        },
      ],
    },
  ],
  'parks-recreation': [
    {
      slug: 'dpr-youth',
      name: 'Youth Programs',
      description: 'Out-of-school time, camps and sports for Durham children and teens.',
      services: [
        {
          slug: 'dpr-summer-camps',
          name: 'Summer Day Camps',
          description:
            'Full-day summer camps at recreation centers with games, arts, swimming and field trips; scholarships available.',
          themes: ['YOUTH', 'PARKS_RECREATION'],
          minimumAge: 5,
          maximumAge: 12,
          fees: 'Weekly fee; sliding-scale scholarships for Durham residents.',
          applicationProcess: 'Register online at dprplaymore.org when registration opens in spring.',
          area: { citywide: true },
          languages: ['en', 'es'],
          annualBudget: 850_000,
          fiscalYear: 2026,
          location: 'wd-hill',
          schedule: {
            byDay: 'MO,TU,WE,TH,FR',
            opensAt: '07:30:00',
            closesAt: '18:00:00',
            description: 'Weekdays in June–August, 7:30 am to 6 pm.',
          },
        },
        {
          slug: 'dpr-teen-programs',
          name: 'Teen Late Nights and Leadership',
          description:
            'Evening programs for teens at recreation centers: open gym, mentoring, leadership and job-readiness workshops.',
          themes: ['YOUTH', 'PUBLIC_SAFETY'],
          minimumAge: 13,
          maximumAge: 18,
          fees: 'Free.',
          applicationProcess: 'Drop in; a parent signs the participation form on the first visit.',
          area: { wards: [1, 3], description: 'At recreation centers in east and south Durham.' },
          annualBudget: 220_000,
          fiscalYear: 2026,
          location: 'edison-johnson',
          initiatives: [{ code: '3.12', note: 'Builds youth leadership through recreation-center programs.' }],
        },
        {
          slug: 'dpr-youth-sports',
          name: 'Youth Athletics Leagues',
          description: 'Recreational basketball, soccer, baseball and flag football leagues for children.',
          themes: ['YOUTH', 'PARKS_RECREATION'],
          minimumAge: 5,
          maximumAge: 15,
          fees: 'Registration fee per season; fee waivers available.',
          area: { citywide: true },
          annualBudget: 300_000,
          fiscalYear: 2026,
        },
      ],
    },
  ],
  fire: [
    {
      slug: 'dfd-community-risk-reduction',
      name: 'Community Risk Reduction',
      description: 'Prevention work that lowers the risk of fire and injury in homes.',
      services: [
        {
          slug: 'smoke-alarm-installation',
          name: 'Free Smoke Alarm Installation',
          description:
            'Firefighters install free smoke alarms and check home fire safety, with an escape-plan talk for the household.',
          themes: ['PUBLIC_SAFETY', 'HOUSING'],
          eligibility: 'Durham residents, owners or renters.',
          fees: 'Free.',
          applicationProcess: 'Request a visit through the fire department or Durham One Call.',
          area: { citywide: true },
          languages: ['en', 'es'],
          annualBudget: 90_000,
          fiscalYear: 2026,
        },
        {
          slug: 'fire-safety-education',
          name: 'Fire and Life Safety Education',
          description: 'Fire safety lessons for schools, senior centers and community groups.',
          themes: ['PUBLIC_SAFETY', 'EDUCATION'],
          fees: 'Free.',
          area: { citywide: true },
          annualBudget: 60_000,
          fiscalYear: 2026,
        },
      ],
    },
  ],
  'economic-workforce-development': [
    {
      slug: 'oewd-durhamworks',
      name: 'DurhamWorks',
      description: 'Youth and young adult employment: paid summer work, career exploration and job training.',
      services: [
        {
          slug: 'durhamworks-summer-youth',
          name: 'DurhamWorks Summer Youth Employment',
          description:
            'Paid summer internships with local employers and city departments, with work-readiness training beforehand.',
          themes: ['YOUTH', 'ECONOMIC_OPPORTUNITY'],
          minimumAge: 14,
          maximumAge: 24,
          eligibility: 'Durham residents aged 14–24.',
          fees: 'Free; participants are paid.',
          applicationProcess: 'Apply online in the spring; attend a work-readiness session.',
          area: { citywide: true },
          languages: ['en', 'es'],
          annualBudget: 1_500_000,
          fiscalYear: 2026,
          location: 'holton',
          initiatives: [{ code: '1.23', note: 'The youth employment program the initiative expands.' }],
        },
      ],
    },
    {
      slug: 'oewd-ncworks',
      name: 'NCWorks Career Center Durham',
      description: 'Job search, training and employer services, operated with the state workforce system.',
      services: [
        {
          slug: 'ncworks-career-services',
          name: 'NCWorks Career Services',
          description:
            'Career coaching, job search help, resume workshops and training vouchers for adults and dislocated workers.',
          themes: ['ECONOMIC_OPPORTUNITY'],
          minimumAge: 18,
          fees: 'Free.',
          area: { citywide: true },
          languages: ['en', 'es'],
          annualBudget: 700_000,
          fiscalYear: 2026,
          location: 'holton',
          initiatives: [{ code: '1.32', note: 'Career services for residents facing barriers to employment.' }],
        },
      ],
    },
  ],
  'community-safety': [
    {
      slug: 'cs-heart',
      name: 'Holistic Empathetic Assistance Response Teams (HEART)',
      description: 'Unarmed crisis response teams for 911 calls involving behavioral health and quality-of-life needs.',
      services: [
        {
          slug: 'heart-crisis-response',
          name: 'HEART Community Response Teams',
          description:
            'Mental health clinicians, EMTs and peer support specialists respond to eligible 911 calls and follow up with care navigation.',
          themes: ['PUBLIC_SAFETY', 'HEALTH'],
          fees: 'Free.',
          applicationProcess: 'Call 911; eligible calls are routed to HEART.',
          area: { citywide: true },
          annualBudget: 4_800_000,
          fiscalYear: 2026,
          initiatives: [{ code: '2.11', note: 'Responds to familiar neighbors without police involvement.' }],
        },
      ],
    },
  ],
  transportation: [
    {
      slug: 'transport-transit',
      name: 'Transit',
      description: 'City bus service and access programs.',
      services: [
        {
          slug: 'godurham-fare-free',
          name: 'Fare-Free GoDurham Buses',
          description: 'GoDurham buses and GoDurham ACCESS paratransit are fare-free for all riders.',
          themes: ['TRANSPORTATION'],
          fees: 'Free.',
          area: { citywide: true },
          languages: ['en', 'es'],
          annualBudget: 3_000_000,
          fiscalYear: 2026,
        },
      ],
    },
  ],
  'solid-waste': [
    {
      slug: 'sw-collection',
      name: 'Special Collections',
      description: 'Collection of items that do not fit in the roll-out cart.',
      services: [
        {
          slug: 'bulky-item-collection',
          name: 'Bulky Item Collection',
          description: 'Curbside pickup of furniture, appliances and other large items by appointment.',
          themes: ['ENVIRONMENT', 'INFRASTRUCTURE'],
          fees: 'Fee per pickup.',
          applicationProcess: 'Schedule through Durham One Call.',
          area: { citywide: true },
          status: 'TEMPORARILY_CLOSED',
          annualBudget: 180_000,
          fiscalYear: 2026,
        },
      ],
    },
  ],
};
