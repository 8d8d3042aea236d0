export { descriptorSetPath, errorDetailsDescriptorSetPath } from "./descriptor-set.js";
export { type EnumNames, enumNames, shortEnumName } from "./enum-names.js";
export * as deliberationV1 from "./gen/index.civic.deliberation.v1.js";
export * as gridCasesV1 from "./gen/index.civic.grid_cases.v1.js";
export * as partyBuildingV1 from "./gen/index.civic.party_building.v1.js";
export * as socialRegistryV1 from "./gen/index.civic.social_registry.v1.js";
export * as volunteerStationsV1 from "./gen/index.civic.volunteer_stations.v1.js";
export * as googleProtobuf from "./gen/index.google.protobuf.js";
export * as googleRpc from "./gen/index.google.rpc.js";
export {
  type HttpCatalogue,
  type HttpOperation,
  httpCatalogue,
  type PostOutcome,
  postOutcome,
  type ServiceSummary,
} from "./http-catalogue.js";
