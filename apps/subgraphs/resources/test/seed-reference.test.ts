import { DEPARTMENTS } from '@civic/reference-data/departments';
import { startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcesPrisma } from '../src/db.ts';
import { resourcesSubgraph } from '../src/subgraph.ts';

let subgraph: TestSubgraph<ResourcesPrisma>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(resourcesSubgraph, { seed: 'reference' });
});
afterAll(async () => {
  await subgraph?.stop();
});

describe('CIVIC_SEED=reference', () => {
  it("loads the city's departments, one organization each, and no demo programs, services or locations", async () => {
    const organizations = await subgraph.prisma.organization.findMany({ orderBy: { name: 'asc' } });
    expect(organizations.map((o) => o.id).sort()).toEqual(DEPARTMENTS.map((d) => d.id).sort());
    expect(organizations.every((o) => o.kind === 'CITY_DEPARTMENT')).toBe(true);
    expect(await subgraph.prisma.program.count()).toBe(0);
    expect(await subgraph.prisma.service.count()).toBe(0);
    expect(await subgraph.prisma.location.count()).toBe(0);
  });
});
