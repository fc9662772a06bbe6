import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import type { Service as ServiceRow } from '../generated/prisma/client.ts';
import { searchDirectory } from '../search/directory.ts';
import { OrganizationKind } from './organization.ts';
import { Theme } from './scalars.ts';
import { Service, ServiceStatus } from './service.ts';

builder.queryFields((t) => ({
  services: t.connection(
    {
      type: Service,
      description:
        'The resource directory: services filtered by text (Postgres full-text search, best match first), theme, neighborhood or ward served, language, organization kind, internal/external and status; by name otherwise.',
      args: {
        text: t.arg.string({
          required: false,
          description: 'Words to search for (web-search syntax: "quoted phrases", -not).',
        }),
        themes: t.arg({ type: [Theme], required: false, description: 'Services with any of these themes.' }),
        neighborhoodId: t.arg.id({
          required: false,
          description: 'Services that serve this neighborhood (citywide, its ward, or the neighborhood itself).',
        }),
        ward: t.arg.int({ required: false, description: 'Services that serve this council ward (1–3).' }),
        language: t.arg.string({
          required: false,
          description: 'Services offered in this language (BCP-47, e.g. "es").',
        }),
        organizationKinds: t.arg({
          type: [OrganizationKind],
          required: false,
          description: 'Providers of these kinds.',
        }),
        internal: t.arg.boolean({
          required: false,
          description: 'Only internal (city department) services when true, only external ones when false.',
        }),
        statuses: t.arg({ type: [ServiceStatus], required: false, description: 'Only these statuses (default: all).' }),
      },
      resolve: async (_root, args, ctx) => {
        let totalCount = 0;
        const connection = await resolveOffsetConnection(
          { args, defaultSize: 20, maxSize: 100 },
          async ({ limit, offset }) => {
            const page = await searchDirectory(ctx.prisma, args, { limit, offset });
            totalCount = page.totalCount;
            const rows = await ctx.loaders.service.loadMany(page.ids);
            return rows.filter((row): row is ServiceRow => row !== null && !(row instanceof Error));
          },
        );
        return { ...connection, totalCount };
      },
    },
    {
      name: 'ServiceConnection',
      description: 'A page of services.',
      edgesField: { description: 'The services on this page, with their cursors.' },
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many services match, on all pages.',
          resolve: (connection) => (connection as unknown as { totalCount: number }).totalCount,
        }),
      }),
    },
    {
      name: 'ServiceEdge',
      description: 'A service in a page of services.',
      nodeField: { description: 'The service.' },
    },
  ),
}));
