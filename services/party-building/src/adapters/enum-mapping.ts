import { enumNames, partyBuildingV1 } from "@civic/contracts";
import { InvalidArgumentError, isIdentifier } from "@civic/domain-kit";

export const organisationLevelNames = enumNames(partyBuildingV1.OrganisationLevel, "ORGANISATION_LEVEL_");
export const branchKindNames = enumNames(partyBuildingV1.BranchKind, "BRANCH_KIND_");
export const changeKindNames = enumNames(partyBuildingV1.OrganisationChangeKind, "ORGANISATION_CHANGE_KIND_");

/** Ids reach the database only in this shape (letters, digits, - and _). */
export function requireId(field: string, value: string): void {
  if (!isIdentifier(value))
    throw new InvalidArgumentError([{ field, description: "must be 1 to 64 letters, digits, - or _" }]);
}

/** An optional id: empty, or the shape of an id. */
export function requireOptionalId(field: string, value: string): void {
  if (value !== "") requireId(field, value);
}

/** 0 means "no check" in requests; anything else must be a version the caller saw. */
export function expectedVersionOf(value: number): number | undefined {
  if (!Number.isInteger(value) || value < 0)
    throw new InvalidArgumentError([{ field: "expectedVersion", description: "must be 0 or more" }]);
  return value === 0 ? undefined : value;
}
