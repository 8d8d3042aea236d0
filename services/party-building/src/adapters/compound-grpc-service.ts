import { partyBuildingV1 } from "@civic/contracts";
import { InvalidArgumentError } from "@civic/domain-kit";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { CompoundDesk, CompoundView } from "../app/compound-desk.js";
import type { RedCommitteeCoverage } from "../domain/red-committee-coverage.js";
import { requireId, requireOptionalId } from "./enum-mapping.js";

/** gRPC face of red owners' committees. */
export function compoundGrpcService(compounds: CompoundDesk): GrpcServiceRegistration {
  return unaryService(partyBuildingV1.CompoundServiceService, {
    registerCompound: async (request, { caller }) => ({
      compound: toProtoCompound(await compounds.register(request, caller)),
    }),
    getCompound: async (request, { caller }) => {
      requireId("compoundId", request.compoundId);
      return { compound: toProtoCompound(await compounds.get(request.compoundId, caller)) };
    },
    listCompounds: async (request, { caller }) => {
      const { areaId, ...page } = request;
      const found = await compounds.list(areaId, page, caller);
      return { compounds: found.compounds.map(toProtoCompound), nextPageToken: found.nextPageToken };
    },
    assignCompoundPartyBranch: async (request, { caller }) => {
      requireId("compoundId", request.compoundId);
      requireId("organisationId", request.organisationId);
      requireOptionalId("secretaryMemberId", request.secretaryMemberId);
      const compound = await compounds.assignPartyBranch(
        request.compoundId,
        request.organisationId,
        request.secretaryMemberId,
        caller,
      );
      return { compound: toProtoCompound(compound) };
    },
    formOwnersCommittee: async (request, { caller }) => {
      requireId("compoundId", request.compoundId);
      const { compoundId, ...command } = request;
      return { compound: toProtoCompound(await compounds.formCommittee(compoundId, command, caller)) };
    },
    addOwnersCommitteeMember: async (request, { caller }) => {
      requireId("compoundId", request.compoundId);
      if (!request.member) throw new InvalidArgumentError([{ field: "member", description: "is required" }]);
      return {
        compound: toProtoCompound(
          await compounds.addCommitteeMember(request.compoundId, request.member, caller),
        ),
      };
    },
    recordOwnersCommitteeDeparture: async (request, { caller }) => {
      requireId("compoundId", request.compoundId);
      const { compoundId, personId, ...departure } = request;
      return {
        compound: toProtoCompound(await compounds.recordDeparture(compoundId, personId, departure, caller)),
      };
    },
    dissolveOwnersCommittee: async (request, { caller }) => {
      requireId("compoundId", request.compoundId);
      const compound = await compounds.dissolveCommittee(
        request.compoundId,
        request.endedOn,
        request.reason,
        caller,
      );
      return { compound: toProtoCompound(compound) };
    },
    getRedCommitteeCoverage: async (request, { caller }) => ({
      coverage: toProtoCoverage(await compounds.coverage(request.areaId, caller)),
    }),
  });
}

function toProtoCompound(compound: CompoundView): partyBuildingV1.ResidentialCompound {
  const committee = compound.ownersCommittee;
  return {
    compoundId: compound.compoundId,
    name: compound.name,
    communityAreaId: compound.communityAreaId,
    households: compound.households,
    propertyCompany: compound.propertyCompany,
    partyBranch: compound.partyBranch ?? undefined,
    ownersCommittee: committee
      ? {
          ...committee,
          // Snapshots written before departures existed have no formerMembers.
          formerMembers: committee.formerMembers ?? [],
          formedAt: new Date(committee.formedAt),
        }
      : undefined,
    formerCommittees: compound.formerCommittees,
    redCommittee: compound.redCommittee,
    registeredBy: compound.registeredBy,
    registeredAt: new Date(compound.registeredAt),
    version: compound.version,
  };
}

const rateOrUnset = (rate: number | null) => rate ?? undefined;

function toProtoCoverage(coverage: RedCommitteeCoverage): partyBuildingV1.RedCommitteeCoverage {
  return {
    ...coverage,
    ownersCommitteeRate: rateOrUnset(coverage.ownersCommitteeRate),
    partyBranchRate: rateOrUnset(coverage.partyBranchRate),
    redCommitteeCoverage: rateOrUnset(coverage.redCommitteeCoverage),
  };
}
