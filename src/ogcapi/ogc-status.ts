import type { SubmissionStatus } from '../db/submissions.table.ts';

export type OgcStatus = 'accepted' | 'running' | 'successful' | 'failed' | 'dismissed';

/** A submission's status in OGC API - Processes terms (statusCode.yaml). */
export function ogcStatus(status: SubmissionStatus): OgcStatus {
  switch (status) {
    case 'submitted':
      return 'accepted';
    case 'running':
      return 'running';
    // An expired submission completed once; its files are gone, which /results says.
    case 'complete':
    case 'expired':
      return 'successful';
    case 'cancelled':
    case 'deleted':
      return 'dismissed';
    case 'error':
    case 'crash':
      return 'failed';
  }
}
