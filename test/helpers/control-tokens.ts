// The control tokens anonymous POSTs returned, by submission id (native) or batch uuid (facade), so a
// test cancels or deletes what it submitted the way its submitter would: with the Submission-Token header.
const tokens = new Map<string, string>();

/** Reads a copy of a POST's answer and keeps its control token, if it has one. */
export async function rememberControlToken(res: Response): Promise<void> {
  if (res.status !== 201) return;
  const body = (await res
    .clone()
    .json()
    .catch(() => null)) as { id?: string; controlToken?: string; UUID?: string; control_token?: string } | null;
  if (body?.id && body.controlToken) tokens.set(body.id, body.controlToken);
  if (body?.UUID && body.control_token) tokens.set(body.UUID, body.control_token);
}

/** For a submission a test inserted itself, with the hash of this token. */
export function rememberTokenFor(id: string, token: string): void {
  tokens.set(id, token);
}

/** The token POST returned for this id; throws if none, so a test never silently sends none. */
export function controlTokenOf(id: string): string {
  const token = tokens.get(id);
  if (!token) throw new Error(`no control token remembered for ${id}`);
  return token;
}

/** The Submission-Token header for this id, or no header when its POST returned no token. */
export function tokenHeader(id: string): Record<string, string> {
  const token = tokens.get(id);
  return token ? { 'Submission-Token': token } : {};
}
