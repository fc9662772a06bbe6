import { connectGateway, reportFailure } from '../gateway-client.ts';
import { graphql } from '../graphql.ts';
import { progress } from '../progress.ts';

export const alignHelp = `civic align — recompute the alignment engine's work through the running platform

Usage: npm run civic -- align --rebuild [--gateway <url>] [--timeout <seconds>]

--rebuild   asks engagement's alignment worker to retranslate what is missing, retag every concern
            staff did not tag (learning from today's staff tags; staff tags are never changed), and
            recompute same-issue neighbours and proposed citywide concerns; shows its progress and
            waits until it is done and every queued alignment job has run.
--status    prints where the alignment worker is (pending jobs and concerns, last rebuild).

Needs the platform running (npm start) and an ADMIN token: CIVIC_ADMIN_TOKEN, or a development
token minted from .data/dev-secrets.json. Exit code 0 when done, 1 on failure, 2 on wrong usage.`;

const STATUS = graphql(`
  query AlignmentStatus($id: ID) {
    alignmentStatus {
      pendingJobs
      pendingConcerns
      failedJobs
      workerRunning
      lastRebuildAt
      rebuild(id: $id) {
        id
        total
        done
        finishedAt
        error
      }
    }
  }
`);

const REBUILD = graphql(`
  mutation RebuildAlignment {
    rebuildAlignment {
      id
    }
  }
`);

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

export async function align(args: string[]): Promise<number> {
  const rebuild = args.includes('--rebuild');
  const status = args.includes('--status');
  const timeoutSeconds = Number(option(args, '--timeout') ?? 1800);
  if ((!rebuild && !status) || !Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    console.error(alignHelp);
    return 2;
  }
  try {
    const gateway = await connectGateway({ url: option(args, '--gateway') });
    const read = async (id?: string) => (await gateway.request(STATUS, id ? { id } : {})).alignmentStatus;
    if (status) {
      const s = await read();
      console.log(
        `worker ${s.workerRunning ? 'running' : 'not running'}; ${s.pendingJobs} jobs and ${s.pendingConcerns} concerns pending; ` +
          `${s.failedJobs} failed jobs; last rebuild ${s.lastRebuildAt ?? 'never'}`,
      );
      return 0;
    }
    const { rebuildAlignment } = await gateway.request(REBUILD, {});
    const deadline = Date.now() + timeoutSeconds * 1000;
    let bar: ReturnType<typeof progress> | undefined;
    let shown = 0;
    // The rebuild finished and no job waited, this many looks in a row: a job sent as it finished (a sweep the
    // rebuild's own request asked for, a regroup) shows on the next look, so one look is not enough.
    let quiet = 0;
    for (;;) {
      const s = await read(rebuildAlignment.id);
      const r = s.rebuild;
      if (r && r.total > 0) {
        bar ??= progress('align', r.total);
        if (r.done > shown) {
          bar.tick(r.done - shown);
          shown = r.done;
        }
      }
      quiet = r?.finishedAt && s.pendingJobs === 0 ? quiet + 1 : 0;
      if (quiet >= 2) {
        bar?.done(`${r?.total ?? 0} concerns`);
        return 0;
      }
      if (r?.error) console.error(`civic align: the rebuild failed (${r.error}); it is retried`);
      if (Date.now() > deadline) throw new Error(`the rebuild did not finish within ${timeoutSeconds} s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (error) {
    return reportFailure('align', error);
  }
}
