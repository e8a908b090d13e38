import { Injectable } from '@nestjs/common';
import type { ReportBreach, ReportCompliance } from '@guichet/contracts';
import { TicketClocksRepository } from '../clocks/ticket-clocks.repository';
import type { MonthBounds, ScopeRef } from './reports.repository';

/** What the service-level clocks say of a scope's month: each breached target and the compliance counts. */
export interface MonthBreaches {
  breaches: ReportBreach[];
  compliance: ReportCompliance;
}

/**
 * Where the report reads breaches and GTI/GTR compliance from (ADR 0053). The service-level
 * clocks provide it; the report knows nothing else of them.
 */
export abstract class ReportBreaches {
  abstract forMonth(scope: ScopeRef, month: MonthBounds): Promise<MonthBreaches>;
}

/** The tickets' service-level clocks (ADR 0051): each clock counts in the month its outcome fell in. */
@Injectable()
export class ClockBreaches extends ReportBreaches {
  constructor(private readonly clocks: TicketClocksRepository) {
    super();
  }

  async forMonth(scope: ScopeRef, month: MonthBounds): Promise<MonthBreaches> {
    const outcomes = await this.clocks.decidedIn(scope.type === 'project' ? { projectId: scope.id } : { spaceId: scope.id }, month.from, month.to);
    const count = (clock: 'take_charge' | 'restore') => ({
      met: outcomes.filter((o) => o.clock === clock && !o.breached).length,
      breached: outcomes.filter((o) => o.clock === clock && o.breached).length,
    });
    return {
      breaches: outcomes
        .filter((o) => o.breached)
        .map((o) => ({ key: o.ticketKey, clock: o.clock, deadline: o.deadline!.toISOString(), overBySeconds: o.overBySeconds })),
      compliance: { measured: true, takeCharge: count('take_charge'), restore: count('restore') },
    };
  }
}
