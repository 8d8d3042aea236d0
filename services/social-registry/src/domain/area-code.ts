import { AreaCode } from "@civic/domain-kit";

/**
 * Organisations, workers and projects belong to a district, a street or a community (grid-cases'
 * area codes); an area covers every code that starts with its own.
 */
export const isOrganisationAreaCode = (areaId: string): boolean =>
  AreaCode.is(areaId, "district", "street", "community");
