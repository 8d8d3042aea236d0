import type { socialRegistryV1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { CaringEnterpriseDesk, CaringEnterpriseView } from "../app/caring-enterprise-desk.js";

const method = (name: string) => `civic.social_registry.v1.CaringEnterpriseService/${name}`;

/** gRPC face of the caring-enterprise directory. */
export function caringEnterpriseGrpcService(
  directory: CaringEnterpriseDesk,
): socialRegistryV1.CaringEnterpriseServiceServer {
  const reply = async (view: Promise<CaringEnterpriseView>) => ({
    enterprise: toProtoEnterprise(await view),
  });
  return {
    listCaringEnterprise: unaryHandler(
      method("ListCaringEnterprise"),
      (request: socialRegistryV1.ListCaringEnterpriseRequest, { caller }) =>
        reply(directory.list(request, caller)),
    ),
    getCaringEnterprise: unaryHandler(
      method("GetCaringEnterprise"),
      (request: socialRegistryV1.GetCaringEnterpriseRequest) => reply(directory.get(request.creditCode)),
    ),
    listCaringEnterprises: unaryHandler(
      method("ListCaringEnterprises"),
      async (request: socialRegistryV1.ListCaringEnterprisesRequest) => {
        const page = await directory.directory(request.areaId, request);
        return { enterprises: page.enterprises.map(toProtoEnterprise), nextPageToken: page.nextPageToken };
      },
    ),
    recordDonation: unaryHandler(
      method("RecordDonation"),
      async (request: socialRegistryV1.RecordDonationRequest, { caller }) => {
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
    ),
    recogniseEnterprise: unaryHandler(
      method("RecogniseEnterprise"),
      (request: socialRegistryV1.RecogniseEnterpriseRequest, { caller }) =>
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
    ),
    enterEnterpriseCreditList: unaryHandler(
      method("EnterEnterpriseCreditList"),
      (request: socialRegistryV1.EnterEnterpriseCreditListRequest, { caller }) =>
        reply(directory.creditLists.enter(request.creditCode, request, caller)),
    ),
    removeEnterpriseFromCreditList: unaryHandler(
      method("RemoveEnterpriseFromCreditList"),
      (request: socialRegistryV1.RemoveEnterpriseFromCreditListRequest, { caller }) =>
        reply(directory.creditLists.remove(request.creditCode, request, caller)),
    ),
    evaluateEnterpriseCredit: unaryHandler(
      method("EvaluateEnterpriseCredit"),
      async (request: socialRegistryV1.EvaluateEnterpriseCreditRequest) => ({
        creditCode: request.creditCode,
        evaluation: await directory.evaluate(request.creditCode, request.asOf),
      }),
    ),
  };
}

function toProtoEnterprise(view: CaringEnterpriseView): socialRegistryV1.CaringEnterprise {
  const { status: _status, creditListEntries, ...enterprise } = view;
  // The directory's entries keep no removal reason on the wire (EnterpriseCreditListEntry).
  const entries = creditListEntries.map(({ removalReason: _reason, ...entry }) => entry);
  return { ...enterprise, creditListEntries: entries };
}
