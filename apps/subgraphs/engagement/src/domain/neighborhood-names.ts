import { neighborhoodAliases, resolveNeighborhoodName } from '@civic/reference-data/durham-neighborhoods';
import { LEGACY_NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';

const LEGACY_IDS = new Map(LEGACY_NEIGHBORHOODS.map((l) => [l.id, l.neighborhoodId]));
const LEGACY_SLUGS = new Map(LEGACY_NEIGHBORHOODS.map((l) => [l.slug, l.neighborhoodId]));

/**
 * The id of the published neighborhood a demo-era id stands for (the 12 demo neighborhoods were
 * replaced by Durham's published ones, see `data/durham/demo-aliases.csv`); any other id unchanged.
 * API clients that kept a demo-era id keep working.
 */
export function canonicalNeighborhoodId(id: string): string {
  return LEGACY_IDS.get(id) ?? id;
}

export interface StoredNeighborhoodName {
  id: string;
  name: string;
  nameEs: string | null;
  slug: string;
}

function key(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

/**
 * Finds a stored neighborhood by what an import file calls it: its published English or Spanish
 * name, a demo-era alias ("Hayti", "Few Gardens"), its slug or its id, case-insensitively.
 * Undefined when none of the stored neighborhoods answers to it.
 */
export function neighborhoodLookup(stored: readonly StoredNeighborhoodName[]): (name: string) => string | undefined {
  const byKey = new Map<string, string>();
  const ids = new Set(stored.map((n) => n.id));
  for (const n of stored) {
    for (const k of [n.name, n.nameEs, n.slug, n.id]) if (k && !byKey.has(key(k))) byKey.set(key(k), n.id);
  }
  return (name) => {
    const direct = byKey.get(key(name));
    if (direct) return direct;
    const candidates = [resolveNeighborhoodName(name)?.id, LEGACY_SLUGS.get(key(name)), LEGACY_IDS.get(name.trim())];
    return candidates.find((id): id is string => id !== undefined && ids.has(id));
  };
}

let aliasMap: Map<string, string[]> | undefined;
/** The demo-era names that stand for a published neighborhood (not its own name). */
export function aliasesOf(id: string): string[] {
  if (!aliasMap) {
    aliasMap = new Map();
    for (const alias of neighborhoodAliases()) {
      if (alias.name === alias.neighborhood) continue;
      const target = resolveNeighborhoodName(alias.neighborhood)?.id;
      if (target) aliasMap.set(target, [...(aliasMap.get(target) ?? []), alias.name]);
    }
  }
  return aliasMap.get(id) ?? [];
}
