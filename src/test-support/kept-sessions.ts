/**
 * For the tests of sessions kept in memory (identity/sign-in-session-cache.ts): the app's cache
 * itself, to wait for what it hears, and the statements a page sends on the app's connections.
 */
import type { SignInSessionCache } from '../identity/sign-in-session-cache.ts';
import type { TestApp, TestClient } from './test-app.ts';

/** The cache the app's sign-in sessions are kept in (a private part of the service). */
export function keptSessions(t: TestApp): SignInSessionCache {
  return (t.deps.services.signInSessions as unknown as { cache: SignInSessionCache }).cache;
}

/** A GET's status and how many statements it sent (its session lookup among them, if any). */
export async function statementsFor(
  t: TestApp,
  client: TestClient,
  url: string,
): Promise<{ status: number; sent: number }> {
  const before = t.database.statementsSent();
  const response = await client.get(url);
  return { status: response.statusCode, sent: t.database.statementsSent() - before };
}
