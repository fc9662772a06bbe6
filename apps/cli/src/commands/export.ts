import { exportHsds } from './export/hsds.ts';
import { exportOpenData } from './export/open-data.ts';
import { dispatch } from './subcommands.ts';

export const exportCommand = dispatch('export', {
  hsds: exportHsds,
  'open-data': exportOpenData,
});
