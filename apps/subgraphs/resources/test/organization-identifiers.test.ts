import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcesPrisma } from '../src/db.ts';
import { DEMO_DIRECTORY_DIR } from '../src/seed/seed.ts';
import { resourcesSubgraph } from '../src/subgraph.ts';
import { org } from './fixtures.ts';

// Issue 16: the directory's City of Durham organizations are the departments' own (one organization
// each, the id staff tokens and other subgraphs use), and keep the HSDS ids they are known by.
const CD_HSDS_ID = 'fa0d5f63-3012-5dec-ae79-b83b0c1932ec'; // "City of Durham Community Development Department"

let subgraph: TestSubgraph<ResourcesPrisma>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(resourcesSubgraph, { seed: true });
});
afterAll(async () => {
  await subgraph?.stop();
});

const ORGANIZATION = `query ($id: ID!) { organization(id: $id) { id name kind alternateIds alternateName services { id } } }`;
interface Found {
  organization: {
    id: string;
    name: string;
    kind: string;
    alternateIds: string[];
    alternateName: string | null;
    services: { id: string }[];
  } | null;
}

describe('a department organization is known by its HSDS id', () => {
  it('organization(id:) resolves the department’s id, slug and HSDS id to the one organization', async () => {
    const byId = await subgraph.execute<Found>(ORGANIZATION, { id: org.communityDevelopment });
    expect(byId.errors).toBeUndefined();
    expect(byId.data?.organization).toMatchObject({
      id: org.communityDevelopment,
      kind: 'CITY_DEPARTMENT',
      alternateName: 'Community Development',
    });
    expect(byId.data?.organization?.alternateIds).toEqual(['community-development', CD_HSDS_ID]);
    expect(byId.data?.organization?.services.length).toBeGreaterThan(0);
    for (const id of [CD_HSDS_ID, 'community-development']) {
      const other = await subgraph.execute<Found>(ORGANIZATION, { id });
      expect(other.errors).toBeUndefined();
      expect(other.data?.organization).toEqual(byId.data?.organization);
    }
    // No second organization under the HSDS id.
    expect(await subgraph.prisma.organization.findUnique({ where: { id: CD_HSDS_ID } })).toBeNull();
  });

  it('a re-import of the same HSDS dataset finds the departments (0 created, 0 changed) and creates no duplicate', async () => {
    const files = readdirSync(DEMO_DIRECTORY_DIR)
      .filter((f) => f.endsWith('.csv'))
      .map((name) => ({ name, csv: readFileSync(join(DEMO_DIRECTORY_DIR, name), 'utf8') }));
    const before = {
      organizations: await subgraph.prisma.organization.count(),
      services: await subgraph.prisma.service.count(),
    };
    const result = await subgraph.execute<{
      importHsdsDataset: { created: number; counts: { table: string; created: number; updated: number }[] };
    }>(
      `mutation ($files: [HsdsFileInput!]!) { importHsdsDataset(files: $files) { created counts { table created updated } } }`,
      { files },
      identities.admin('importer'),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.importHsdsDataset.created).toBe(0);
    expect(result.data?.importHsdsDataset.counts.find((c) => c.table === 'organization')).toMatchObject({
      created: 0,
      updated: 0,
    });
    expect({
      organizations: await subgraph.prisma.organization.count(),
      services: await subgraph.prisma.service.count(),
    }).toEqual(before);
    const department = await subgraph.prisma.organization.findUniqueOrThrow({
      where: { id: org.communityDevelopment },
    });
    expect(department.name).toBe('Community Development Department');

    // A dataset naming the department by its HSDS id only (no organizations.csv row) attaches to it.
    const service = '0b7f0d6e-1c1a-4a52-9a51-3f6f4f1a2b3c';
    const added = await subgraph.execute<{ importHsdsDataset: { created: number } }>(
      `mutation ($files: [HsdsFileInput!]!) { importHsdsDataset(files: $files) { created } }`,
      {
        files: [
          {
            name: 'services.csv',
            csv: `id,organization_id,name,status\n${service},${CD_HSDS_ID},Home repair clinic,active\n`,
          },
        ],
      },
      identities.admin('importer'),
    );
    expect(added.errors).toBeUndefined();
    expect(added.data?.importHsdsDataset.created).toBe(1);
    expect((await subgraph.prisma.service.findUniqueOrThrow({ where: { id: service } })).organizationId).toBe(
      org.communityDevelopment,
    );
  });

  it('the department’s staff create a service naming the organization by its HSDS id', async () => {
    const staff = identities.staff(org.communityDevelopment, 'staff-cd');
    const created = await subgraph.execute<{ createService: { id: string; organization: { id: string } } }>(
      `mutation ($input: CreateServiceInput!) { createService(input: $input) { id organization { id } } }`,
      { input: { organizationId: CD_HSDS_ID, name: 'Repair fair' } },
      staff,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createService.organization.id).toBe(org.communityDevelopment);
  });
});
