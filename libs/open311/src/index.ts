export { fieldErrors, type Open311Error } from "./formats.js";
export {
  type DiscoverySettings,
  discoveryDefaults,
  type Format,
  type GeoReportAnswer,
  type GeoReportRequest,
  type GeoReportResource,
  type GridCasesCall,
  geoReportResources,
  open311Base,
} from "./geo-report.js";
export { open311ErrorsSchema, open311Operations } from "./openapi-operations.js";
export { Open311Failure } from "./parameters.js";
export { xmlDocument } from "./xml.js";
