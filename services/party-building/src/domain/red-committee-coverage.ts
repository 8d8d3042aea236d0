import { isTermExpired, type ResidentialCompound } from "./residential-compound.js";

/**
 * Red owners' committee coverage of an area [Dongguan: 1,112 compounds, 100% covered].
 * Rates are percentages with one decimal, null when their denominator is 0.
 */
export interface RedCommitteeCoverage {
  areaId: string;
  compounds: number;
  withOwnersCommittee: number;
  withPartyBranch: number;
  /** Compounds whose serving owners' committee has a party branch (红色业委会). */
  redCommittees: number;
  /** withOwnersCommittee ÷ compounds. */
  ownersCommitteeRate: number | null;
  /** withPartyBranch ÷ compounds. */
  partyBranchRate: number | null;
  /** redCommittees ÷ withOwnersCommittee: the red-committee coverage. */
  redCommitteeCoverage: number | null;
  /** Members of serving committees who are cross-appointed (双向进入、交叉任职). */
  crossAppointedMembers: number;
  /** Serving committees whose director is the branch secretary (一肩挑). */
  oneShoulderCommittees: number;
  /** Serving committees with no director (the director left and none was added since). */
  committeesWithoutDirector: number;
  /** Serving committees past their term's end (still counted as serving until dissolved). */
  committeesPastTerm: number;
}

const percent = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1_000) / 10;

export function redCommitteeCoverage(
  areaId: string,
  compounds: readonly ResidentialCompound[],
  now: Date,
): RedCommitteeCoverage {
  const withCommittee = compounds.filter((compound) => compound.ownersCommittee !== null);
  const withOwnersCommittee = withCommittee.length;
  const withPartyBranch = compounds.filter((compound) => compound.partyBranch !== null).length;
  const redCommittees = withCommittee.filter((compound) => compound.redCommittee).length;
  return {
    areaId,
    compounds: compounds.length,
    withOwnersCommittee,
    withPartyBranch,
    redCommittees,
    ownersCommitteeRate: percent(withOwnersCommittee, compounds.length),
    partyBranchRate: percent(withPartyBranch, compounds.length),
    redCommitteeCoverage: percent(redCommittees, withOwnersCommittee),
    crossAppointedMembers: withCommittee.reduce(
      (sum, compound) =>
        sum + (compound.ownersCommittee?.members.filter((m) => m.crossAppointed).length ?? 0),
      0,
    ),
    oneShoulderCommittees: withCommittee.filter((compound) => compound.ownersCommittee?.oneShoulder).length,
    committeesWithoutDirector: withCommittee.filter(
      (compound) => !compound.ownersCommittee?.members.some((member) => member.post === "director"),
    ).length,
    committeesPastTerm: withCommittee.filter(
      (compound) => compound.ownersCommittee && isTermExpired(compound.ownersCommittee, now),
    ).length,
  };
}
