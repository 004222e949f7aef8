import { Type } from 'typebox';
import type { App } from '../../lib/deps.js';
import { allow, stationScope } from '../../lib/policy.js';
import { errors } from '../../lib/schema.js';
import { workbench } from './workbench.js';

const STAFF = ['social_worker', 'station_head'] as const;
const Count = Type.Integer({ minimum: 0 });
const WorkbenchSchema = Type.Object({
  appointmentsToday: Count,
  myAppointmentsToday: Count,
  consultationsWaiting: Count,
  consultationsOverdue: Count,
  requestsUnassigned: Count,
  myRequests: Count,
  visitsOverdue: Count,
  visitsDueSoon: Count,
  visitsOverdueHighTier: Count,
  myVisitsOverdue: Count,
  complaintsOpen: Count,
  complaintsOverdue: Count,
  toRate: Count,
});

/** 工作台: what is waiting for the station's staff today, each count linking to its list. */
export async function workbenchRoutes(app: App): Promise<void> {
  const { readDb, clock, dialect } = app.xq;
  app.get(
    '/workbench',
    {
      config: { policy: allow('home', STAFF) },
      schema: { tags: ['workbench'], summary: "Today's to-dos at my stations: appointments, questions waiting (overdue), unassigned needs, visits due, open complaints, services to follow up", response: { 200: WorkbenchSchema, ...errors } },
    },
    async (req) => {
      const p = req.auth!.principal;
      const scope = stationScope(p, STAFF);
      const stationIds = scope.all ? [] : scope.stationIds;
      // A read-only summary for the home page: the reader connection keeps it off the write path.
      const heads = stationScope(p, ['station_head']);
      const headStationIds = heads.all ? stationIds : heads.stationIds;
      return workbench(readDb, dialect === 'postgres', stationIds, p.userId, headStationIds, clock.now());
    },
  );
}
