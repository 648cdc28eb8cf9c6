// A submission as an OGC API - Processes job: its statusInfo document (statusInfo.yaml).
import type { Submission } from '../db/submissions.table.ts';
import { ogcStatus } from './ogc-status.ts';
import { OGC_PREFIX } from './process-description.ts';

export const REL_RESULTS = 'http://www.opengis.net/def/rel/ogc/1.0/results';

type JobRow = Pick<
  Submission,
  'id' | 'job_name' | 'status' | 'last_message' | 'created_at' | 'started_at' | 'finished_at'
>;

export function jobStatusInfo(row: JobRow) {
  const status = ogcStatus(row.status);
  const self = `${OGC_PREFIX}/jobs/${row.id}`;
  return {
    jobID: row.id,
    processID: row.job_name,
    type: 'process',
    status,
    message: row.last_message,
    created: row.created_at.toISOString(),
    ...(row.started_at ? { started: row.started_at.toISOString() } : {}),
    ...(row.finished_at ? { finished: row.finished_at.toISOString() } : {}),
    ...(status === 'successful' ? { progress: 100 } : {}),
    links: [
      { href: self, rel: 'self', type: 'application/json', title: 'Job status' },
      ...(status === 'successful'
        ? [{ href: `${self}/results`, rel: REL_RESULTS, type: 'application/json', title: 'Results' }]
        : []),
    ],
  };
}
