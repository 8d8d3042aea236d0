import { enumNames, gridCasesV1 } from "@civic/contracts";
import type { Channel, RequestType } from "../domain/case.js";

const channelNames = enumNames(gridCasesV1.Channel, "CHANNEL_");
const requestTypeNames = enumNames(gridCasesV1.RequestType, "REQUEST_TYPE_");

/** Unknown values become "" and fail the domain's validation with a field violation. */
export const channelFromProto = (value: gridCasesV1.Channel): string => channelNames.toName(value);
export const requestTypeFromProto = (value: gridCasesV1.RequestType): string =>
  requestTypeNames.toName(value);
export const channelToProto = (channel: Channel): gridCasesV1.Channel => channelNames.fromName(channel);
export const requestTypeToProto = (type: RequestType): gridCasesV1.RequestType =>
  requestTypeNames.fromName(type);
