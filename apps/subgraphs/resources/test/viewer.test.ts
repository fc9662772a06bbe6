import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcesPrisma } from '../src/db.ts';
import { resourcesSubgraph } from '../src/subgraph.ts';
import { org } from './fixtures.ts';

let subgraph: TestSubgraph<ResourcesPrisma>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(resourcesSubgraph, { seed: true });
});
afterAll(async () => {
  await subgraph?.stop();
});

const VIEWER = '{ viewer { role subject organizationId organization { id name kind } abilities } }';
type Viewer = {
  viewer: {
    role: string;
    subject: string | null;
    organizationId: string | null;
    organization: { id: string; name: string; kind: string } | null;
    abilities: string[];
  };
};

describe('viewer', () => {
  it('tells an anonymous caller it is PUBLIC and may only read', async () => {
    const result = await subgraph.execute<Viewer>(VIEWER);
    expect(result.errors).toBeUndefined();
    expect(result.data?.viewer).toEqual({
      role: 'PUBLIC',
      subject: null,
      organizationId: null,
      organization: null,
      abilities: ['READ_PUBLISHED'],
    });
  });

  it("tells a partner key its organization and that it manages that organization's services", async () => {
    const result = await subgraph.execute<Viewer>(VIEWER, {}, identities.partner(org.landTrust, 'key-land-trust'));
    expect(result.errors).toBeUndefined();
    const viewer = result.data?.viewer;
    expect(viewer?.role).toBe('PARTNER');
    expect(viewer?.subject).toBe('key-land-trust');
    expect(viewer?.organizationId).toBe(org.landTrust);
    expect(viewer?.organization).toMatchObject({ id: org.landTrust, kind: 'NONPROFIT' });
    expect(viewer?.organization?.name).toBe('Durham Community Land Trustees');
    expect(viewer?.abilities).toEqual(
      expect.arrayContaining(['READ_PUBLISHED', 'EDIT_OWN_ORGANIZATION', 'MANAGE_OWN_SERVICES']),
    );
    expect(viewer?.abilities).not.toContain('READ_UNPUBLISHED');
    expect(viewer?.abilities).not.toContain('MANAGE_ALL_RESOURCES');
  });

  it('tells staff their department, and an admin that it may do everything', async () => {
    const staff = await subgraph.execute<Viewer>(VIEWER, {}, identities.staff(org.parks, 'staff-parks'));
    expect(staff.data?.viewer).toMatchObject({
      role: 'STAFF',
      organizationId: org.parks,
      organization: { id: org.parks, name: 'Parks and Recreation', kind: 'CITY_DEPARTMENT' },
    });
    expect(staff.data?.viewer.abilities).toEqual(
      expect.arrayContaining(['READ_UNPUBLISHED', 'RECORD_ENGAGEMENT', 'EDIT_LED_INITIATIVES', 'MANAGE_OWN_SERVICES']),
    );
    expect(staff.data?.viewer.abilities).not.toContain('MANAGE_ALL_RESOURCES');
    const admin = await subgraph.execute<Viewer>(VIEWER, {}, identities.admin('admin-ann'));
    expect(admin.data?.viewer).toMatchObject({ role: 'ADMIN', subject: 'admin-ann', organizationId: null });
    expect(admin.data?.viewer.abilities).toEqual(
      expect.arrayContaining(['MANAGE_ALL_RESOURCES', 'EDIT_ALL_INITIATIVES', 'MANAGE_API_KEYS']),
    );
  });
});
