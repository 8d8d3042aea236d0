import { socialRegistryV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
import type { CaringEnterpriseDesk, CaringEnterpriseView } from "../app/caring-enterprise-desk.js";

/** gRPC face of the caring-enterprise directory. */
export function caringEnterpriseGrpcService(directory: CaringEnterpriseDesk): GrpcServiceRegistration {
  const reply = replyWith("enterprise", toProtoEnterprise);
  const enterprisesPage = pageWith("enterprises", toProtoEnterprise);
  return unaryService(socialRegistryV1.CaringEnterpriseServiceService, {
    listCaringEnterprise: (request, { caller }) => reply(directory.list(request, caller)),
    getCaringEnterprise: (request) => reply(directory.get(request.creditCode)),
    listCaringEnterprises: (request) => enterprisesPage(directory.directory(request.areaId, request)),
    recordDonation: async (request, { caller }) => {
      const donation = request.donation;
      const { enterprise, recorded } = await directory.recordDonation(
        request.creditCode,
        {
          donationId: donation?.donationId ?? "",
          kind: donation?.kind ?? "",
          amountFen: donation?.amountFen ?? 0,
          description: donation?.description ?? "",
          estimatedValueFen: donation?.estimatedValueFen ?? 0,
          volunteerHours: donation?.volunteerHours ?? 0,
          recipient: donation?.recipient ?? "",
          donatedOn: donation?.donatedOn ?? "",
        },
        caller,
      );
      return { enterprise: toProtoEnterprise(enterprise), recorded };
    },
    recogniseEnterprise: (request, { caller }) =>
      reply(
        directory.recognise(
          request.creditCode,
          {
            title: request.recognition?.title ?? "",
            awardedOn: request.recognition?.awardedOn ?? "",
            issuer: request.recognition?.issuer ?? "",
          },
          caller,
        ),
      ),
    enterEnterpriseCreditList: (request, { caller }) =>
      reply(directory.creditLists.enter(request.creditCode, request, caller)),
    removeEnterpriseFromCreditList: (request, { caller }) =>
      reply(directory.creditLists.remove(request.creditCode, request, caller)),
    evaluateEnterpriseCredit: async (request) => ({
      creditCode: request.creditCode,
      evaluation: await directory.evaluate(request.creditCode, request.asOf),
    }),
  });
}

function toProtoEnterprise(view: CaringEnterpriseView): socialRegistryV1.CaringEnterprise {
  const { status: _status, creditListEntries, ...enterprise } = view;
  // The directory's entries keep no removal reason on the wire (EnterpriseCreditListEntry).
  const entries = creditListEntries.map(({ removalReason: _reason, ...entry }) => entry);
  return { ...enterprise, creditListEntries: entries };
}
