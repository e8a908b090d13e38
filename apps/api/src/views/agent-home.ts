import { Injectable } from '@nestjs/common';
import { type AgentHome as AgentHomeData, QUEUE_FIRST_ROWS, QUEUE_IDS, queueQuery, type QueueSummary } from '@guichet/contracts';
import { AccessPolicy } from '../access/access-policy';
import type { AuthenticatedContext } from '../access/principal';
import { TicketPort } from '../tickets/ticket-port';
import { SavedViews } from './saved-views.service';

/** The home of a support agent: the queues over the spaces he serves, then his saved views. */
@Injectable()
export class AgentHome {
  constructor(
    private readonly tickets: TicketPort,
    private readonly views: SavedViews,
    private readonly policy: AccessPolicy,
  ) {}

  async home(ctx: AuthenticatedContext): Promise<AgentHomeData> {
    const p = ctx.principal;
    const now = new Date();
    // Queues are the support team's: whoever does not serve spaces keeps the beneficiary's home.
    const queues = async (): Promise<QueueSummary[]> => {
      if (!this.policy.has(p, 'ticket.seeOthers')) return [];
      const queries = QUEUE_IDS.map((id) => queueQuery(id, now));
      const found = await this.tickets.queues(p, queries, QUEUE_FIRST_ROWS);
      return QUEUE_IDS.map((id, i) => ({ id, query: queries[i]!, ...found[i]! }));
    };
    // Two statements on two connections, side by side: the home waits for the slower only.
    const [queueSummaries, views] = await Promise.all([queues(), this.views.list(ctx)]);
    return { queues: queueSummaries, views };
  }
}
