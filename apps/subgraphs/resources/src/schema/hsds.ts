import { builder } from '../builder.ts';
import { exportHsds, type HsdsExport, type HsdsTableExport } from '../domain/hsds-export.ts';
import { HSDS_FILE_INPUT, type ImportResult, importHsdsDataset } from '../domain/hsds-import.ts';
import type { ImportCount } from '../domain/hsds-store.ts';

const HsdsFileInput = builder.inputType('HsdsFileInput', {
  description: 'One CSV file of an HSDS 3.0 dataset.',
  fields: (t) => HSDS_FILE_INPUT.fields(t),
});

const HsdsImportCount = builder.objectRef<ImportCount>('HsdsImportCount').implement({
  description: 'What an import did to one kind of record.',
  fields: (t) => ({
    table: t.exposeString('table', { description: 'HSDS table: organization, program, service, location, …' }),
    created: t.exposeInt('created', { description: 'Rows with a new id, created.' }),
    updated: t.exposeInt('updated', { description: 'Rows whose id existed with other values, updated.' }),
    unchanged: t.exposeInt('unchanged', { description: 'Rows already stored as they are.' }),
  }),
});

const HsdsImportResult = builder.objectRef<ImportResult>('HsdsImportResult').implement({
  description: 'The outcome of an HSDS import.',
  fields: (t) => ({
    counts: t.field({ type: [HsdsImportCount], description: 'Per table.', resolve: (r) => r.counts }),
    created: t.int({ description: 'Rows created, all tables.', resolve: (r) => sum(r.counts, 'created') }),
    updated: t.int({ description: 'Rows updated, all tables.', resolve: (r) => sum(r.counts, 'updated') }),
    unchanged: t.int({ description: 'Rows unchanged, all tables.', resolve: (r) => sum(r.counts, 'unchanged') }),
    warnings: t.exposeStringList('warnings', {
      description: 'Values the directory could not keep (dropped coordinates, an extent that is not GeoJSON, …).',
    }),
    ignoredFiles: t.exposeStringList('ignoredFiles', {
      description: 'Files of HSDS tables this directory does not hold (accessibility.csv, funding.csv, …).',
    }),
  }),
});

const sum = (counts: ImportCount[], key: 'created' | 'updated' | 'unchanged') =>
  counts.reduce((total, c) => total + c[key], 0);

const HsdsTable = builder.objectRef<HsdsTableExport>('HsdsTable').implement({
  description: 'One HSDS 3.0 table of the directory, ready to be written as CSV.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'HSDS schema name, e.g. "service".' }),
    path: t.exposeString('path', { description: 'Datapackage path, e.g. "services.csv".' }),
    columns: t.exposeStringList('columns', { description: 'Column names, in order.' }),
    rows: t.field({
      type: t.listRef(t.listRef('String')),
      description: 'Rows, each a list of values in column order ("" when empty).',
      resolve: (table) => table.rows,
    }),
  }),
});

const HsdsDataset = builder.objectRef<HsdsExport>('HsdsDataset').implement({
  description: 'The resource directory as HSDS 3.0 tables.',
  fields: (t) => ({
    tables: t.field({ type: [HsdsTable], description: 'The tables the directory holds.', resolve: (d) => d.tables }),
    warnings: t.exposeStringList('warnings', { description: 'What HSDS could not take (incomplete addresses).' }),
  }),
});

builder.queryFields((t) => ({
  hsdsExport: t.field({
    type: HsdsDataset,
    description:
      'The whole directory as HSDS 3.0 tables (public directory data only: no budgets, change log or Durham-specific fields). `npm run civic -- export hsds` writes it as a datapackage and JSON.',
    resolve: (_root, _args, ctx) => exportHsds(ctx.prisma),
  }),
}));

builder.mutationFields((t) => ({
  importHsdsDataset: t.field({
    type: HsdsImportResult,
    description:
      'Imports an HSDS 3.0 CSV dataset (ADMIN only). The whole dataset is checked first (errors name file, row and field) and stored in one transaction: new ids are created, existing ids updated where the dataset differs (recorded in the change log), other rows left alone. Importing the same dataset twice changes nothing.',
    args: { files: t.arg({ type: [HsdsFileInput], required: true, description: 'The CSV files.' }) },
    resolve: (_root, args, ctx) => importHsdsDataset(ctx, args),
  }),
}));
