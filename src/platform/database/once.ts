/**
 * A form sent twice at the same moment (a double click, a retry) must make one record and answer
 * both with it. Each create looks its submission token up first; two copies racing both miss it,
 * and the loser's insert meets the token's unique key. `once` turns that into the winner's answer
 * instead of a server error.
 */
import { isUniqueViolation } from './unique-violation.ts';

export async function once<T>(
  work: () => Promise<T>,
  tokenConstraint: string,
  winner: () => Promise<T | undefined>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, tokenConstraint)) {
      const found = await winner();
      if (found !== undefined) return found;
    }
    throw error;
  }
}
