import { unwrap, type AaApi } from './open-api.ts';

/** Cancels a submission; `token` is the controlToken an anonymous submission's POST returned. */
export async function cancelSubmission(api: AaApi, id: string, token?: string) {
  return unwrap(
    api.POST('/api/v1/submissions/{id}/cancel', {
      params: { path: { id }, header: token === undefined ? {} : { 'Submission-Token': token } },
    }),
  );
}
