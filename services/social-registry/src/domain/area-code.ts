/**
 * Area codes as grid-cases defines them: a district is its 6-digit division code, a street
 * adds 3 digits, a community 3 more. Organisations, workers and projects belong to one of
 * these; an area covers every code that starts with its own.
 */
export function isOrganisationAreaCode(areaId: string): boolean {
  return /^\d{6}(\d{3}){0,2}$/.test(areaId);
}
