/** Words a reason for a person, in English or Spanish. */
import { THEMES } from '@civic/taxonomy/themes';
import type { Language, Reason } from './types.ts';

const LANGUAGE_NAMES: Record<string, { en: string; es: string }> = {
  en: { en: 'English', es: 'inglés' },
  es: { en: 'Spanish', es: 'español' },
  fr: { en: 'French', es: 'francés' },
  ar: { en: 'Arabic', es: 'árabe' },
  zh: { en: 'Chinese', es: 'chino' },
  vi: { en: 'Vietnamese', es: 'vietnamita' },
  ko: { en: 'Korean', es: 'coreano' },
  sw: { en: 'Swahili', es: 'suajili' },
  asl: { en: 'American Sign Language', es: 'lengua de señas americana' },
  ase: { en: 'American Sign Language', es: 'lengua de señas americana' },
};

const themeLabels: Record<string, { en: string; es: string }> = Object.fromEntries(
  THEMES.map((t) => [t.code, t.label]),
);

function languageName(code: string, language: Language): string {
  const base = code.toLowerCase().split('-')[0] ?? code;
  return LANGUAGE_NAMES[base]?.[language] ?? code;
}

function themeName(code: string, language: Language): string {
  return themeLabels[code]?.[language] ?? code.toLowerCase().replace(/_/g, ' ');
}

function list(items: readonly string[], language: Language): string {
  const quoted = items.map((p) => `“${p}”`);
  if (quoted.length <= 1) return quoted.join('');
  const last = quoted[quoted.length - 1];
  return `${quoted.slice(0, -1).join(', ')} ${language === 'es' ? 'y' : 'and'} ${last}`;
}

export function describeReason(reason: Reason, language: Language): string {
  const es = language === 'es';
  switch (reason.kind) {
    case 'helps-with':
      return es ? `Ayuda con ${list(reason.phrases, language)}` : `Helps with ${list(reason.phrases, language)}`;
    case 'theme':
      return es ? `Mismo tema: ${themeName(reason.code, language)}` : `Same theme: ${themeName(reason.code, language)}`;
    case 'serves-neighborhood':
      return es ? `Atiende a ${reason.neighborhoodName}` : `Serves ${reason.neighborhoodName}`;
    case 'serves-citywide':
      return es ? 'Atiende a toda la ciudad' : 'Serves the whole city';
    case 'language':
      return es
        ? `Se ofrece en ${languageName(reason.language, language)}`
        : `Offered in ${languageName(reason.language, language)}`;
    case 'plan': {
      const lead = reason.leadDepartmentName;
      if (es) return `Iniciativa ${reason.initiativeCode} del plan estratégico${lead ? `, a cargo de ${lead}` : ''}`;
      return `Strategic plan initiative ${reason.initiativeCode}${lead ? `, led by ${lead}` : ''}`;
    }
    case 'measure':
      return es ? `Se mide con “${reason.measureName}”` : `Measured by “${reason.measureName}”`;
  }
}
