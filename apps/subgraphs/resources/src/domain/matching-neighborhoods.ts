import type { Language } from '@civic/alignment/types';
import {
  durhamNeighborhoods,
  durhamWards,
  neighborhoodById,
  resolveNeighborhoodName,
} from '@civic/reference-data/durham-neighborhoods';
import { type CoverageIndex, createCoverageIndex } from './matching-coverage.ts';

let index: CoverageIndex | undefined;

/** Durham's published neighborhoods as coverage needs them (built once per process). */
export function neighborhoodCoverageIndex(): CoverageIndex {
  index ??= createCoverageIndex(
    durhamNeighborhoods().map((n) => ({ id: n.id, wards: n.wards.map((w) => w.ward), boundary: n.boundary })),
    (name) => resolveNeighborhoodName(name)?.id ?? null,
    durhamWards().map((w) => ({ ward: w.number, boundary: w.boundary })),
  );
  return index;
}

/** A neighborhood's published name in the reader's language. */
export function neighborhoodName(id: string | null, language: Language): string | null {
  if (!id) return null;
  const n = neighborhoodById(id);
  if (!n) return null;
  return language === 'es' ? n.nameEs : n.name;
}
