import { gridCasesV1 } from "@civic/contracts";
import { InvalidArgumentError, NotFoundError } from "@civic/domain-kit";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { CaseCategoryDesk } from "../app/case-category-desk.js";
import type { RoutingRulesDesk } from "../app/routing-rules-desk.js";
import type { RequestType } from "../domain/case.js";
import type { CaseCategory, Urgency } from "../domain/case-categories.js";
import type { PublishedCatalogueVersion } from "../domain/category-catalogue-version.js";
import type { PublishedRoutingRules } from "../domain/routing-rules.js";
import {
  requestTypeFromProto,
  requestTypeToProto,
  urgencyFromProto,
  urgencyToProto,
} from "./enum-mapping.js";

function requireVersion(field: string, version: number): void {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new InvalidArgumentError([{ field, description: "must be a version number (0 or more)" }]);
  }
}

/** gRPC face of the case-category catalogue and the routing rules. */
export function caseCatalogueGrpcService(
  categories: CaseCategoryDesk,
  routing: RoutingRulesDesk,
): GrpcServiceRegistration {
  return unaryService(gridCasesV1.CaseCatalogueServiceService, {
    publishCaseCategories: async (request, { caller }) => {
      requireVersion("baseVersion", request.baseVersion);
      const published = await categories.publish(
        request.baseVersion,
        request.categories.map(
          (category): CaseCategory => ({
            code: category.code,
            name: category.name,
            // Unknown values become "" and fail the catalogue's check with a field violation.
            requestType: requestTypeFromProto(category.requestType) as RequestType,
            urgency: urgencyFromProto(category.urgency) as Urgency,
            defaultDepartmentId: category.defaultDepartmentId,
          }),
        ),
        caller,
      );
      return { catalogue: toProtoCatalogue(published) };
    },
    getCaseCategoryCatalogue: async (request) => {
      requireVersion("version", request.version);
      const found = await categories.get(request.version);
      if (!found) throw new NotFoundError("case-category catalogue version", String(request.version));
      return { catalogue: toProtoCatalogue(found) };
    },
    publishRoutingRules: async (request, { caller }) => {
      requireVersion("baseVersion", request.baseVersion);
      const published = await routing.publish(request.baseVersion, request.rules, caller);
      return { ruleSet: toProtoRuleSet(published) };
    },
    getRoutingRules: async (request) => {
      requireVersion("version", request.version);
      const found = await routing.get(request.version);
      if (found) return { ruleSet: toProtoRuleSet(found) };
      if (request.version !== 0) throw new NotFoundError("routing rules version", String(request.version));
      return { ruleSet: { version: 0, rules: [], publishedBy: "" } };
    },
  });
}

function toProtoCatalogue(published: PublishedCatalogueVersion): gridCasesV1.CaseCategoryCatalogue {
  return {
    ...published,
    categories: [...published.categories]
      .sort((a, b) => (a.code < b.code ? -1 : 1))
      .map((category) => ({
        code: category.code,
        name: category.name,
        requestType: requestTypeToProto(category.requestType),
        urgency: urgencyToProto(category.urgency),
        defaultDepartmentId: category.defaultDepartmentId,
      })),
    publishedAt: new Date(published.publishedAt),
  };
}

function toProtoRuleSet(published: PublishedRoutingRules): gridCasesV1.RoutingRuleSet {
  return {
    ...published,
    publishedAt: new Date(published.publishedAt),
  };
}
