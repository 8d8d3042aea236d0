import { gridCasesV1 } from "@civic/contracts";
import { InvalidArgumentError, unaryHandler } from "@civic/service-kit";
import type { CaseIntake, CaseView } from "../app/case-intake.js";
import {
  channelFromProto,
  channelToProto,
  requestTypeFromProto,
  requestTypeToProto,
} from "./enum-mapping.js";

/** gRPC face of case intake: maps messages to use cases and back. */
export function caseGrpcService(intake: CaseIntake): gridCasesV1.CaseServiceServer {
  return {
    submitCase: unaryHandler(
      "civic.grid_cases.v1.CaseService/SubmitCase",
      async (request: gridCasesV1.SubmitCaseRequest, { caller }) => {
        const view = await intake.submit(
          {
            channel: channelFromProto(request.channel),
            requestType: requestTypeFromProto(request.requestType),
            categoryCode: request.categoryCode,
            title: request.title,
            description: request.description,
            areaId: request.areaId,
            address: request.address,
            reporterName: request.reporterName,
          },
          caller,
        );
        return { case: toProtoCase(view) };
      },
    ),
    getCase: unaryHandler(
      "civic.grid_cases.v1.CaseService/GetCase",
      async (request: gridCasesV1.GetCaseRequest) => {
        if (request.caseId.trim() === "") {
          throw new InvalidArgumentError([{ field: "caseId", description: "must not be empty" }]);
        }
        return { case: toProtoCase(await intake.get(request.caseId)) };
      },
    ),
  };
}

function toProtoCase(view: CaseView): gridCasesV1.Case {
  return {
    caseId: view.caseId,
    status: gridCasesV1.CaseStatus.CASE_STATUS_SUBMITTED,
    channel: channelToProto(view.channel),
    requestType: requestTypeToProto(view.requestType),
    categoryCode: view.categoryCode,
    title: view.title,
    description: view.description,
    areaId: view.areaId,
    address: view.address,
    reporterName: view.reporterName,
    submittedBy: view.submittedBy,
    submittedAt: new Date(view.submittedAt),
    version: view.version,
  };
}
