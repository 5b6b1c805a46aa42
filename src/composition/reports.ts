/** Evaluation: the service reports (issue 16, part A). */
import { ReportsService } from '../reports/reports.service.ts';
import type { Foundation } from './foundation.ts';
import type { WorkforceServices } from './workforce.ts';
import type { PlanServices } from './plan.ts';

export function buildReportServices(
  { config, db, clock, audit, repositories }: Foundation,
  { training }: WorkforceServices,
  { planTemplates }: PlanServices,
) {
  return {
    reports: new ReportsService(
      db,
      {
        reports: repositories.reports,
        teams: repositories.teams,
        staff: repositories.staff,
        supervision: repositories.supervision,
      },
      training,
      audit,
      clock,
      {
        sessionCap: config.programme.sessionCap,
        allocationTargetWorkingDays: config.allocationTargetWorkingDays,
        supervision: config.supervision,
        sections: planTemplates.enabledSections.map((s) => ({ key: s.key, title: s.title })),
      },
    ),
  };
}
