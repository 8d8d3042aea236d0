import { socialRegistryV1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { DensityDesk } from "../app/density-desk.js";
import type { Measured } from "../domain/density.js";

const toProtoMeasure = (measure: Measured): socialRegistryV1.DensityMeasure => ({
  count: measure.count,
  ...(measure.per10k === null ? {} : { per10k: measure.per10k }),
  ...(measure.target === null ? {} : { target: measure.target }),
  ...(measure.meetsTarget === null ? {} : { meetsTarget: measure.meetsTarget }),
});

/** gRPC face of the density figures. */
export function densityGrpcService(metrics: DensityDesk): GrpcServiceRegistration {
  return unaryService(socialRegistryV1.DensityServiceService, {
    getDensityMetrics: async (request) => {
      const report = await metrics.report(request.areaId, request.asOf);
      return {
        ...report,
        organisations: toProtoMeasure(report.organisations),
        socialWorkers: toProtoMeasure(report.socialWorkers),
      };
    },
  });
}
