import { Injectable } from '@nestjs/common';
import type { ReportBreach, ReportCompliance } from '@guichet/contracts';
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

/** Until tickets carry clocks: nothing measured, which the report says in so many words. */
@Injectable()
export class NoClocksYet extends ReportBreaches {
  forMonth(): Promise<MonthBreaches> {
    return Promise.resolve({
      breaches: [],
      compliance: { measured: false, takeCharge: { met: 0, breached: 0 }, restore: { met: 0, breached: 0 } },
    });
  }
}
