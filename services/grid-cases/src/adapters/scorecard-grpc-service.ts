import { gridCasesV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { ScorecardDesk } from "../app/scorecard-desk.js";

/** Drops the rates that are undefined (x ÷ 0): proto3 optional fields left unset. */
function definedOnly<Value extends object>(
  value: Value,
): { [Key in keyof Value]: Exclude<Value[Key], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null)) as {
    [Key in keyof Value]: Exclude<Value[Key], null>;
  };
}

/** gRPC face of the community scorecard. */
export function scorecardGrpcService(desk: ScorecardDesk): GrpcServiceRegistration {
  return unaryService(gridCasesV1.ScorecardServiceService, {
    getScorecard: async (request, { caller }) => {
      const scorecard = await desk.get(request.areaId, request.year, caller);
      return {
        scorecard: {
          ...scorecard,
          cases: definedOnly(scorecard.cases),
          liaison: definedOnly(scorecard.liaison),
          socialOrganisations: definedOnly(scorecard.socialOrganisations),
          volunteering: definedOnly(scorecard.volunteering),
          maintenanceFunds: definedOnly(scorecard.maintenanceFunds),
          happinessFunds: definedOnly(scorecard.happinessFunds),
          staffing: definedOnly(scorecard.staffing),
          compounds: definedOnly(scorecard.compounds),
        },
      };
    },
  });
}
