import { MAX_BATCH_OPERATIONS, splitBatchAnswer } from '@civic/server-kit/batch';
import { REQUEST_ID_HEADER } from '@civic/server-kit/identity';
import type { SubgraphResponse } from './subgraph-fetch.ts';

/** Sends one HTTP request to a subgraph: its body is signed and posted as given. */
export type SendToSubgraph = (url: string, headers: Record<string, string>, body: string) => Promise<SubgraphResponse>;

interface Waiting {
  headers: Record<string, string>;
  body: string;
  resolve(response: SubgraphResponse): void;
  reject(error: unknown): void;
}

interface OpenBatch {
  url: string;
  waiting: Waiting[];
}

/**
 * Subgraph queries that reach the gateway's fetcher in the same turn of the event loop for the same
 * subgraph and caller identity go to the subgraph as one HTTP request, a JSON array of operations
 * that the subgraph runs together with one context, so their loaders batch too
 * (`@civic/server-kit/batch`). That is a query plan's parallel fetches (a concern page asks resources
 * for the concern's suggestions and for its aligned services at once) and, under load, the fetches of
 * different operations of callers with the same identity (every PUBLIC caller's is the same). Each
 * message between processes is the dearest part of a fetch on these machines (bench/README.md).
 *
 * Only queries, and only fetches whose headers are all the same but the request id (the batch carries
 * every operation's, comma-separated), so a batch never mixes identities: what one operation's
 * loaders read is what the others' would have read alone. A batch whose answer is not one answer per
 * operation with status 200 (one operation refused, a subgraph that takes no batches) is sent again
 * one operation at a time, so each gets its own answer and status as if it had never been batched;
 * queries are safe to send twice. A failed request (timeout, subgraph down) fails every operation in it.
 */
export class SubgraphBatcher {
  private readonly open = new Map<string, OpenBatch>();
  private flushScheduled = false;

  constructor(private readonly send: SendToSubgraph) {}

  query(url: string, headers: Record<string, string>, body: string): Promise<SubgraphResponse> {
    const { [REQUEST_ID_HEADER]: _requestId, ...shared } = headers;
    const key = `${url}\n${JSON.stringify(shared)}`;
    let batch = this.open.get(key);
    if (!batch) {
      batch = { url, waiting: [] };
      this.open.set(key, batch);
    }
    const promise = new Promise<SubgraphResponse>((resolve, reject) => {
      batch.waiting.push({ headers, body, resolve, reject });
    });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After this turn's promise jobs: the plan's parallel fetches all reach the fetcher before it.
      setImmediate(() => this.flush());
    }
    return promise;
  }

  private flush(): void {
    this.flushScheduled = false;
    const batches = [...this.open.values()];
    this.open.clear();
    for (const { url, waiting } of batches) {
      for (let i = 0; i < waiting.length; i += MAX_BATCH_OPERATIONS) {
        const part = waiting.slice(i, i + MAX_BATCH_OPERATIONS);
        if (part.length === 1) this.sendAlone(url, part[0] as Waiting);
        else void this.sendBatch(url, part);
      }
    }
  }

  private sendAlone(url: string, one: Waiting): void {
    this.send(url, one.headers, one.body).then(one.resolve, one.reject);
  }

  private async sendBatch(url: string, part: Waiting[]): Promise<void> {
    const ids = [...new Set(part.map((w) => w.headers[REQUEST_ID_HEADER]).filter(Boolean))];
    const headers = { ...(part[0] as Waiting).headers, [REQUEST_ID_HEADER]: ids.join(',') };
    let response: SubgraphResponse;
    try {
      response = await this.send(url, headers, `[${part.map((w) => w.body).join(',')}]`);
    } catch (error) {
      for (const w of part) w.reject(error);
      return;
    }
    const answers = response.status === 200 ? splitBatchAnswer(response.body, part.length) : undefined;
    if (!answers) {
      for (const w of part) this.sendAlone(url, w);
      return;
    }
    part.forEach((w, i) => {
      w.resolve(response.withBody(answers[i] as string));
    });
  }
}
