import type { OrganizationSeed } from './types.ts';

/**
 * Real Durham partner organizations. Their missions are as they publish them; the service
 * details (eligibility, areas, hours) are illustrative demo values — check with the organization.
 */
export const PARTNERS: OrganizationSeed[] = [
  {
    slug: 'urban-ministries-of-durham',
    name: 'Urban Ministries of Durham',
    kind: 'NONPROFIT',
    description:
      'Emergency shelter, meals, clothing and a food pantry for neighbors in need. Demo record: service details are illustrative.',
    website: 'https://www.umdurham.org',
    programs: [
      {
        slug: 'umd-shelter-food',
        name: 'Shelter and Food',
        description: 'Basic needs for people experiencing homelessness and poverty.',
        services: [
          {
            slug: 'umd-emergency-shelter',
            name: 'Emergency Shelter',
            description:
              'Emergency shelter beds with case management toward permanent housing for people experiencing homelessness.',
            themes: ['HOUSING', 'HEALTH'],
            minimumAge: 18,
            eligibility: 'Adults experiencing homelessness in Durham County.',
            fees: 'Free.',
            applicationProcess: 'Come to the front desk for intake; call ahead to check bed availability.',
            area: { citywide: true },
            languages: ['en', 'es'],
            location: 'umd',
          },
          {
            slug: 'umd-community-cafe',
            name: 'Community Café',
            description: 'Free hot meals served daily to anyone who is hungry, no questions asked.',
            themes: ['HEALTH'],
            fees: 'Free.',
            area: { citywide: true },
            location: 'umd',
            schedule: {
              byDay: 'MO,TU,WE,TH,FR,SA,SU',
              opensAt: '07:00:00',
              closesAt: '18:00:00',
              description: 'Breakfast, lunch and dinner every day.',
            },
          },
          {
            slug: 'umd-food-pantry',
            name: 'Food Pantry',
            description: 'Groceries for households in need, including fresh produce when available.',
            themes: ['HEALTH'],
            eligibility: 'Durham County households; bring an ID.',
            fees: 'Free.',
            area: { citywide: true },
            location: 'umd',
          },
        ],
      },
    ],
  },
  {
    slug: 'durham-habitat',
    name: 'Durham Habitat for Humanity',
    kind: 'NONPROFIT',
    description:
      'Affordable homeownership and home repair for Durham families. Demo record: service details are illustrative.',
    website: 'https://www.durhamhabitat.org',
    programs: [
      {
        slug: 'habitat-homeownership',
        name: 'Homeownership and Repair',
        description: 'Building, selling and repairing affordable homes.',
        services: [
          {
            slug: 'habitat-homeownership-program',
            name: 'Affordable Homeownership Program',
            description:
              'Families help build and then buy an affordable home with an affordable mortgage and homebuyer education.',
            themes: ['HOUSING', 'ECONOMIC_OPPORTUNITY'],
            minimumAge: 18,
            eligibility: 'Households at 30–80% of area median income living or working in Durham County for a year.',
            applicationProcess: 'Attend an information session, then apply during an open application period.',
            area: { citywide: true },
            languages: ['en', 'es'],
            initiatives: [{ code: '3.21', note: 'Partner homeownership program for low-income families.' }],
          },
          {
            slug: 'habitat-critical-home-repair',
            name: 'Critical Home Repair',
            description:
              'Repairs for low-income homeowners: roofs, accessibility, heating and weatherization, so they can stay in their homes.',
            themes: ['HOUSING'],
            eligibility: 'Low-income owner-occupants, priority for seniors and veterans.',
            fees: 'Cost share based on income.',
            area: {
              neighborhoods: ['old-east-durham', 'walltown', 'southside-st-teresa', 'eastway-village', 'unity-village'],
              description: 'Priority neighborhoods (demo selection).',
            },
          },
        ],
      },
    ],
  },
  {
    slug: 'el-centro-hispano',
    name: 'El Centro Hispano',
    kind: 'NONPROFIT',
    description:
      'Latino-led organization strengthening the Hispanic/Latino community through education, health, economic development and advocacy. Demo record: service details are illustrative.',
    website: 'https://elcentronc.org',
    programs: [
      {
        slug: 'ech-family-services',
        name: 'Family and Community Services',
        description: 'Bilingual help for Latino families.',
        services: [
          {
            slug: 'ech-housing-navigation',
            name: 'Housing Navigation and Tenant Rights',
            description:
              'Bilingual help with rental applications, tenant rights, repairs disputes and eviction prevention referrals.',
            themes: ['HOUSING', 'EQUITY'],
            fees: 'Free.',
            area: { wards: [1, 3], description: 'Durham wards 1 and 3 (demo).' },
            languages: ['es', 'en'],
            location: 'el-centro',
          },
          {
            slug: 'ech-adult-education',
            name: 'Adult Education and English Classes',
            description:
              'English as a second language, computer literacy and high school equivalency classes in Spanish.',
            themes: ['EDUCATION', 'ECONOMIC_OPPORTUNITY'],
            minimumAge: 16,
            fees: 'Free or low cost.',
            area: { citywide: true },
            languages: ['es', 'en'],
            location: 'el-centro',
          },
          {
            slug: 'ech-health-promotion',
            name: 'Health Promotion and Navigation',
            description:
              'Community health workers connect families to clinics, health insurance enrollment and prevention programs.',
            themes: ['HEALTH'],
            fees: 'Free.',
            area: { citywide: true },
            languages: ['es', 'en'],
          },
        ],
      },
    ],
  },
  {
    slug: 'reinvestment-partners',
    name: 'Reinvestment Partners',
    kind: 'NONPROFIT',
    description:
      'Advocacy and services for economic justice: free tax preparation, housing counseling, food access. Demo record: service details are illustrative.',
    website: 'https://reinvestmentpartners.org',
    programs: [
      {
        slug: 'rp-financial',
        name: 'Financial Stability',
        description: 'Tax, housing and financial counseling.',
        services: [
          {
            slug: 'rp-free-tax-prep',
            name: 'Free Tax Preparation (VITA)',
            description:
              'IRS-certified volunteers prepare and file tax returns for free, including Earned Income Tax Credit claims.',
            themes: ['ECONOMIC_OPPORTUNITY'],
            eligibility: 'Households with income up to about $67,000 (demo threshold).',
            fees: 'Free.',
            area: { citywide: true },
            languages: ['en', 'es'],
          },
          {
            slug: 'rp-housing-counseling',
            name: 'Housing Counseling',
            description:
              'HUD-approved counseling on foreclosure prevention, homebuying, and rental and mortgage problems.',
            themes: ['HOUSING'],
            fees: 'Free.',
            area: { citywide: true },
            status: 'INACTIVE',
          },
        ],
      },
    ],
  },
  {
    slug: 'durham-literacy-center',
    name: 'Durham Literacy Center',
    kind: 'NONPROFIT',
    description: 'Literacy and education for adults and young people. Demo record: service details are illustrative.',
    website: 'https://www.durhamliteracy.org',
    programs: [
      {
        slug: 'dlc-programs',
        name: 'Literacy Programs',
        description: 'Reading, writing, English and high school equivalency.',
        services: [
          {
            slug: 'dlc-adult-literacy',
            name: 'Adult Literacy and HiSET Preparation',
            description:
              'Free tutoring in reading, writing and math, and preparation for the HiSET high school equivalency exam.',
            themes: ['EDUCATION'],
            minimumAge: 18,
            fees: 'Free.',
            area: { citywide: true },
          },
          {
            slug: 'dlc-youth-literacy',
            name: 'Youth Literacy Program',
            description:
              'Small-group tutoring for young people 16–24 working toward a high school credential and a job.',
            themes: ['EDUCATION', 'YOUTH'],
            minimumAge: 16,
            maximumAge: 24,
            fees: 'Free.',
            area: { citywide: true },
            initiatives: [{ code: '1.21', note: 'Prepares young residents for training and jobs.' }],
          },
        ],
      },
    ],
  },
  {
    slug: 'durham-dss',
    name: 'Durham County Department of Social Services',
    kind: 'COUNTY_AGENCY',
    description:
      'County agency for food and nutrition benefits, Medicaid, child and adult services. Demo record: service details are illustrative.',
    website: 'https://www.dconc.gov/county-departments/departments-a-e/social-services',
    programs: [
      {
        slug: 'dss-economic-services',
        name: 'Economic Services',
        description: 'Benefits that help households meet basic needs.',
        services: [
          {
            slug: 'dss-food-nutrition',
            name: 'Food and Nutrition Services (SNAP)',
            description: 'Monthly benefits to buy groceries for eligible low-income households.',
            themes: ['HEALTH'],
            fees: 'Free.',
            applicationProcess: 'Apply online through ePASS or in person at the DSS office.',
            area: { citywide: true, description: 'All of Durham County.' },
            languages: ['en', 'es'],
          },
        ],
      },
    ],
  },
  {
    slug: 'durham-congregations-in-action',
    name: 'Durham Congregations in Action',
    kind: 'FAITH_BASED',
    description:
      'Interfaith network of Durham congregations working together on community needs. Demo record: service details are illustrative.',
    programs: [
      {
        slug: 'dca-neighbors',
        name: 'Congregations for Neighbors',
        description: 'Volunteer support from congregations.',
        services: [
          {
            slug: 'dca-volunteer-home-help',
            name: 'Volunteer Home Help for Seniors',
            description: 'Congregation volunteers do small home repairs, yard work and rides for older neighbors.',
            themes: ['HOUSING', 'CIVIC_ENGAGEMENT'],
            minimumAge: 60,
            fees: 'Free.',
            area: { wards: [2], description: 'Ward 2 congregations (demo).' },
          },
        ],
      },
    ],
  },
];
