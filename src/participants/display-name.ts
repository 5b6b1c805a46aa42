/**
 * How a participant is named to staff: their preferred name first when they have one, with the
 * given name beside it so records still match ("Sam (Samuel) Okafor").
 */
export function displayName(p: {
  givenName: string;
  familyName: string;
  preferredName: string | null;
}): string {
  return p.preferredName && p.preferredName !== p.givenName
    ? `${p.preferredName} (${p.givenName}) ${p.familyName}`
    : `${p.givenName} ${p.familyName}`;
}
