import { enumNames, gridCasesV1 } from "@civic/contracts";
import type { CaseStatus, Channel, RequestType, Satisfaction } from "../domain/case.js";
import type { Urgency } from "../domain/case-categories.js";

const channelNames = enumNames(gridCasesV1.Channel, "CHANNEL_");
const requestTypeNames = enumNames(gridCasesV1.RequestType, "REQUEST_TYPE_");
const statusNames = enumNames(gridCasesV1.CaseStatus, "CASE_STATUS_");
const satisfactionNames = enumNames(gridCasesV1.Satisfaction, "SATISFACTION_");
const urgencyNames = enumNames(gridCasesV1.CaseUrgency, "CASE_URGENCY_");

/** Unknown values become "" and fail the domain's validation with a field violation. */
export const channelFromProto = (value: gridCasesV1.Channel): string => channelNames.toName(value);
export const requestTypeFromProto = (value: gridCasesV1.RequestType): string =>
  requestTypeNames.toName(value);
export const satisfactionFromProto = (value: gridCasesV1.Satisfaction): string =>
  satisfactionNames.toName(value);
export const channelToProto = (channel: Channel): gridCasesV1.Channel => channelNames.fromName(channel);
export const requestTypeToProto = (type: RequestType): gridCasesV1.RequestType =>
  requestTypeNames.fromName(type);
export const statusFromProto = (value: gridCasesV1.CaseStatus): string => statusNames.toName(value);
export const urgencyToProto = (urgency: Urgency): gridCasesV1.CaseUrgency => urgencyNames.fromName(urgency);
export const statusToProto = (status: CaseStatus): gridCasesV1.CaseStatus => statusNames.fromName(status);
export const satisfactionToProto = (value: Satisfaction | ""): gridCasesV1.Satisfaction =>
  satisfactionNames.fromName(value);
export const urgencyFromProto = (value: gridCasesV1.CaseUrgency): string => urgencyNames.toName(value);
