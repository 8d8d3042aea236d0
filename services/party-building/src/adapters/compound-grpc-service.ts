import type { partyBuildingV1 } from "@civic/contracts";
import { InvalidArgumentError } from "@civic/domain-kit";
import { unaryHandler } from "@civic/service-kit";
import type { CompoundDesk, CompoundView } from "../app/compound-desk.js";
import type { RedCommitteeCoverage } from "../domain/red-committee-coverage.js";
import { requireId, requireOptionalId } from "./enum-mapping.js";

const method = (name: string) => `civic.party_building.v1.CompoundService/${name}`;

/** gRPC face of red owners' committees. */
export function compoundGrpcService(compounds: CompoundDesk): partyBuildingV1.CompoundServiceServer {
  return {
    registerCompound: unaryHandler(
      method("RegisterCompound"),
      async (request: partyBuildingV1.RegisterCompoundRequest, { caller }) => ({
        compound: toProtoCompound(await compounds.register(request, caller)),
      }),
    ),
    getCompound: unaryHandler(
      method("GetCompound"),
      async (request: partyBuildingV1.GetCompoundRequest, { caller }) => {
        requireId("compoundId", request.compoundId);
        return { compound: toProtoCompound(await compounds.get(request.compoundId, caller)) };
      },
    ),
    listCompounds: unaryHandler(
      method("ListCompounds"),
      async (request: partyBuildingV1.ListCompoundsRequest, { caller }) => {
        const { areaId, ...page } = request;
        const found = await compounds.list(areaId, page, caller);
        return { compounds: found.compounds.map(toProtoCompound), nextPageToken: found.nextPageToken };
      },
    ),
    assignCompoundPartyBranch: unaryHandler(
      method("AssignCompoundPartyBranch"),
      async (request: partyBuildingV1.AssignCompoundPartyBranchRequest, { caller }) => {
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
    ),
    formOwnersCommittee: unaryHandler(
      method("FormOwnersCommittee"),
      async (request: partyBuildingV1.FormOwnersCommitteeRequest, { caller }) => {
        requireId("compoundId", request.compoundId);
        const { compoundId, ...command } = request;
        return { compound: toProtoCompound(await compounds.formCommittee(compoundId, command, caller)) };
      },
    ),
    addOwnersCommitteeMember: unaryHandler(
      method("AddOwnersCommitteeMember"),
      async (request: partyBuildingV1.AddOwnersCommitteeMemberRequest, { caller }) => {
        requireId("compoundId", request.compoundId);
        if (!request.member)
          throw new InvalidArgumentError([{ field: "member", description: "is required" }]);
        return {
          compound: toProtoCompound(
            await compounds.addCommitteeMember(request.compoundId, request.member, caller),
          ),
        };
      },
    ),
    recordOwnersCommitteeDeparture: unaryHandler(
      method("RecordOwnersCommitteeDeparture"),
      async (request: partyBuildingV1.RecordOwnersCommitteeDepartureRequest, { caller }) => {
        requireId("compoundId", request.compoundId);
        const { compoundId, personId, ...departure } = request;
        return {
          compound: toProtoCompound(await compounds.recordDeparture(compoundId, personId, departure, caller)),
        };
      },
    ),
    dissolveOwnersCommittee: unaryHandler(
      method("DissolveOwnersCommittee"),
      async (request: partyBuildingV1.DissolveOwnersCommitteeRequest, { caller }) => {
        requireId("compoundId", request.compoundId);
        const compound = await compounds.dissolveCommittee(
          request.compoundId,
          request.endedOn,
          request.reason,
          caller,
        );
        return { compound: toProtoCompound(compound) };
      },
    ),
    getRedCommitteeCoverage: unaryHandler(
      method("GetRedCommitteeCoverage"),
      async (request: partyBuildingV1.GetRedCommitteeCoverageRequest, { caller }) => ({
        coverage: toProtoCoverage(await compounds.coverage(request.areaId, caller)),
      }),
    ),
  };
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
