/**
 * Writes data/durham/neighborhood-geography.json: for each published neighborhood, the wards it
 * overlaps and its school zone, by polygon intersection (seconds of work, so done once, not at
 * every start). Run after re-copying the published files: `tsx scripts/durham-geography.ts`.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { placeNeighborhood, publishedAreas } from '../src/durham-neighborhoods.ts';

const { neighborhoods, wards, zones } = publishedAreas();
const out: Record<string, ReturnType<typeof placeNeighborhood>> = {};
for (const n of [...neighborhoods].sort((a, b) => a.key.localeCompare(b.key, 'en'))) {
  out[n.key] = placeNeighborhood(n.boundary, wards, zones);
}
const target = fileURLToPath(new URL('../data/durham/neighborhood-geography.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${Object.keys(out).length} neighborhoods to ${target}`);
