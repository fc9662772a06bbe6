import { departmentByIdentifier } from '@civic/reference-data/departments';
import type { MappedDataset } from './hsds-mapping.ts';

/**
 * The stored organization an identifier names. A city department is one organization whose id is
 * the department's (the id other subgraphs and staff tokens use); it is also known by its slug and
 * by its ids in published HSDS directories, which resolve to it. Any other id is its own.
 */
export function organizationIdFor(identifier: string): string {
  return departmentByIdentifier(identifier)?.id ?? identifier;
}

/** The other identifiers an organization is known by (a department's slug and HSDS ids). */
export function organizationAliases(id: string): string[] {
  const department = departmentByIdentifier(id);
  return department && department.id === id ? [department.slug, ...department.hsdsIds] : [];
}

/**
 * A mapped HSDS dataset with every organization id it names resolved to the stored organization: a
 * department's HSDS organization becomes the department's own (its name stays the department's; its
 * other HSDS fields are imported), and its programs, services and locations follow. A dataset imported
 * again therefore updates the department instead of creating a second organization.
 */
export function withStoredOrganizationIds(dataset: MappedDataset): MappedDataset {
  const resolve = <T extends string | null | undefined>(id: T): T =>
    (typeof id === 'string' ? organizationIdFor(id) : id) as T;
  return {
    ...dataset,
    organizations: dataset.organizations.map((o) => {
      const department = departmentByIdentifier(o.id as string);
      return department ? { ...o, id: department.id, name: department.name, kind: 'CITY_DEPARTMENT' as const } : o;
    }),
    programs: dataset.programs.map((p) => ({ ...p, organizationId: resolve(p.organizationId) })),
    services: dataset.services.map((s) => ({ ...s, organizationId: resolve(s.organizationId) })),
    locations: dataset.locations.map((l) => ({ ...l, organizationId: resolve(l.organizationId) })),
  };
}
