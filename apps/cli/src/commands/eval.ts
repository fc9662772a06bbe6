import { evalAlignment } from '../eval/alignment.ts';
import { dispatch } from './subcommands.ts';

export const evalCommand = dispatch('eval', { alignment: evalAlignment });
