import { AlreadyExistsError, InvalidArgumentError } from "@civic/domain-kit";
import { type CaseCategory, CaseCategoryCatalogue } from "./case-categories.js";

/**
 * One published version of the case-category catalogue (stream `case_categories-<version>`).
 * A version is never changed: a change publishes the next version, and the version number is
 * the stream id, so two changes made from the same version race for one unique key and
 * exactly one of them is stored. Each case keeps the version it was filed under.
 */
export type CatalogueVersionEvent = {
  type: "case_categories.published";
  data: { version: number; categories: CaseCategory[]; publishedBy: string; publishedAt: string };
};

export type PublishedCatalogueVersion = CatalogueVersionEvent["data"] & { status: "published" };
export type CatalogueVersionState = { status: "none" } | PublishedCatalogueVersion;

export const initialCatalogueVersionState = (): CatalogueVersionState => ({ status: "none" });

export const evolveCatalogueVersion = (
  _state: CatalogueVersionState,
  event: CatalogueVersionEvent,
): CatalogueVersionState => ({ ...event.data, status: "published" });

/** The version cases filed before categories were data read as: the shipped catalogue. */
export const shippedCatalogueVersion = 1;

/** Publishes `version` of the catalogue: every category valid (named `categories[i].<field>`), the version new. */
export function decidePublishCatalogueVersion(
  state: CatalogueVersionState,
  command: { version: number; categories: CaseCategory[]; by: string; at: Date },
): CatalogueVersionEvent {
  if (command.categories.length === 0) {
    throw new InvalidArgumentError([{ field: "categories", description: "must hold at least one category" }]);
  }
  const categories = command.categories.map((category) => ({
    ...category,
    code: category.code.trim(),
    name: category.name.trim(),
    defaultDepartmentId: category.defaultDepartmentId.trim(),
  }));
  new CaseCategoryCatalogue(categories);
  if (state.status !== "none") {
    throw new AlreadyExistsError(`case-category catalogue version ${command.version} already exists`);
  }
  return {
    type: "case_categories.published",
    data: {
      version: command.version,
      categories,
      publishedBy: command.by,
      publishedAt: command.at.toISOString(),
    },
  };
}
