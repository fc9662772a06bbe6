/**
 * The shared theme vocabulary. All three subgraphs tag with these codes, so a concern,
 * an initiative and a service about the same thing meet on the same code.
 */
export interface Theme {
  code: string;
  label: { en: string; es: string };
  /** Words that suggest the theme in free text (used for tagging imports). */
  keywords: readonly string[];
}

export const THEMES = [
  {
    code: 'HOUSING',
    label: { en: 'Housing', es: 'Vivienda' },
    keywords: [
      'housing',
      'rent',
      'home',
      'homeless',
      'eviction',
      'affordable',
      'landlord',
      'mortgage',
      'apartment',
      'gentrification',
    ],
  },
  {
    code: 'TRANSPORTATION',
    label: { en: 'Transportation', es: 'Transporte' },
    keywords: [
      'bus',
      'transit',
      'traffic',
      'road',
      'street',
      'sidewalk',
      'bike',
      'parking',
      'transportation',
      'crosswalk',
    ],
  },
  {
    code: 'PUBLIC_SAFETY',
    label: { en: 'Public safety', es: 'Seguridad pública' },
    keywords: ['police', 'crime', 'safety', 'safe', 'violence', 'gun', 'policing', 'fire', 'emergency'],
  },
  {
    code: 'PARKS_RECREATION',
    label: { en: 'Parks and recreation', es: 'Parques y recreación' },
    keywords: ['park', 'recreation', 'playground', 'trail', 'pool', 'green space', 'sports', 'community center'],
  },
  {
    code: 'ECONOMIC_OPPORTUNITY',
    label: { en: 'Economic opportunity', es: 'Oportunidad económica' },
    keywords: [
      'job',
      'jobs',
      'employment',
      'business',
      'wage',
      'income',
      'training',
      'workforce',
      'economy',
      'downtown',
    ],
  },
  {
    code: 'HEALTH',
    label: { en: 'Health', es: 'Salud' },
    keywords: ['health', 'hospital', 'clinic', 'mental', 'food', 'grocery', 'nutrition', 'drug', 'addiction'],
  },
  {
    code: 'ENVIRONMENT',
    label: { en: 'Environment', es: 'Medio ambiente' },
    keywords: ['environment', 'climate', 'tree', 'pollution', 'recycling', 'energy', 'flood', 'stormwater', 'river'],
  },
  {
    code: 'INFRASTRUCTURE',
    label: { en: 'Infrastructure', es: 'Infraestructura' },
    keywords: [
      'water',
      'sewer',
      'infrastructure',
      'internet',
      'broadband',
      'lighting',
      'streetlight',
      'pothole',
      'utilities',
    ],
  },
  {
    code: 'YOUTH',
    label: { en: 'Youth', es: 'Juventud' },
    keywords: ['youth', 'young', 'kids', 'children', 'teen', 'student', 'students', 'school', 'schools'],
  },
  {
    code: 'EDUCATION',
    label: { en: 'Education', es: 'Educación' },
    keywords: ['education', 'school', 'schools', 'college', 'library', 'learning', 'teacher', 'literacy', 'university'],
  },
  {
    code: 'CIVIC_ENGAGEMENT',
    label: { en: 'Civic engagement', es: 'Participación cívica' },
    keywords: [
      'vote',
      'voting',
      'government',
      'council',
      'engagement',
      'volunteer',
      'community',
      'residents',
      'transparency',
    ],
  },
  {
    code: 'ARTS_CULTURE',
    label: { en: 'Arts and culture', es: 'Arte y cultura' },
    keywords: ['art', 'arts', 'culture', 'music', 'festival', 'history', 'museum', 'theater', 'heritage'],
  },
  {
    code: 'EQUITY',
    label: { en: 'Equity and inclusion', es: 'Equidad e inclusión' },
    keywords: [
      'equity',
      'racial',
      'race',
      'inclusion',
      'diversity',
      'discrimination',
      'immigrant',
      'language',
      'justice',
    ],
  },
] as const satisfies readonly Theme[];

export type ThemeCode = (typeof THEMES)[number]['code'];
export const THEME_CODES: readonly ThemeCode[] = THEMES.map((t) => t.code);

export function isThemeCode(value: string): value is ThemeCode {
  return (THEME_CODES as readonly string[]).includes(value);
}

/** Themes whose keywords occur in `text`, most matches first. */
export function suggestThemes(text: string, limit = 3): ThemeCode[] {
  const words = ` ${text
    .toLowerCase()
    .replace(/[^a-z0-9áéíóúñü\s]/g, ' ')
    .replace(/\s+/g, ' ')} `;
  return THEMES.map((theme) => ({
    code: theme.code,
    hits: theme.keywords.filter((k) => words.includes(` ${k} `) || words.includes(` ${k}s `)).length,
  }))
    .filter((t) => t.hits > 0)
    .sort((a, b) => b.hits - a.hits)
    .slice(0, limit)
    .map((t) => t.code);
}
