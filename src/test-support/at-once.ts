import type { LightMyRequestResponse } from 'fastify';

export interface SavedAtOnce {
  /** Every answer's status, lowest first: one save and one conflict is `[303, 409]`. */
  statuses: number[];
  /** The answer that was not a save, if there was one. */
  loser: LightMyRequestResponse | undefined;
  /** What each answer said: where it redirected, else its error summary or the start of the page. */
  said: string;
}

/**
 * Sends the saves together, as two browsers pressing Save at the same moment would: every one
 * of them has already read the same version, and none waits for another's answer.
 */
export async function saveAtOnce(
  saves: readonly (() => Promise<LightMyRequestResponse>)[],
): Promise<SavedAtOnce> {
  const responses = await Promise.all(saves.map((save) => save()));
  const statuses = responses.map((response) => response.statusCode).sort((a, b) => a - b);
  return {
    statuses,
    loser: responses.find((response) => response.statusCode >= 400),
    said: responses
      .map(
        (response) =>
          `${String(response.statusCode)}: ${
            response.headers.location === undefined
              ? (/nhsuk-error-summary__list[\s\S]{0,400}/.exec(response.body)?.[0] ??
                response.body.slice(0, 300))
              : `to ${response.headers.location}`
          }`,
      )
      .join('\n'),
  };
}
