import { type Caller, hasAnyRole, PermissionDeniedError, roles } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import {
  type CaseCategory,
  CaseCategoryCatalogue,
  type CaseCategoryLookup,
  defaultCaseCategories,
} from "../domain/case-categories.js";
import {
  type CatalogueVersionEvent,
  type CatalogueVersionState,
  decidePublishCatalogueVersion,
  type PublishedCatalogueVersion,
} from "../domain/category-catalogue-version.js";
import { PublishedVersions } from "./published-versions.js";

/** Who changes the case-category catalogue and the routing rules: the district command centre. */
export const catalogueKeepers = [roles.commandCentre];

export function requireCatalogueKeeper(caller: Caller, what: string): void {
  if (!hasAnyRole(caller, catalogueKeepers)) {
    throw new PermissionDeniedError(`changing ${what} needs one of ${catalogueKeepers.join(", ")}`);
  }
}

/**
 * The case-category catalogue as data, in versions: new cases are filed under the newest, and
 * each case's deadlines follow the version it was filed under. The shipped categories are
 * version 1, published on the first start.
 */
export class CaseCategoryDesk implements CaseCategoryLookup {
  private readonly versions: PublishedVersions<
    CatalogueVersionState,
    CatalogueVersionEvent,
    PublishedCatalogueVersion
  >;
  private readonly catalogues = new Map<number, CaseCategoryCatalogue>();

  constructor(
    repository: AggregateRepository<CatalogueVersionState, CatalogueVersionEvent>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.versions = new PublishedVersions(repository, "the case-category catalogue");
  }

  /** Publishes the shipped categories as version 1 unless a catalogue is stored. */
  async publishShippedIfAbsent(): Promise<void> {
    await this.versions.publishFirstIfAbsent((state, version) =>
      decidePublishCatalogueVersion(state, {
        version,
        categories: defaultCaseCategories,
        by: "platform",
        at: this.now(),
      }),
    );
  }

  /** A category as `version` of the catalogue has it (versions read by {@link current} or {@link refresh}). */
  find(code: string, version = 1): CaseCategory | undefined {
    return this.catalogueAt(version)?.find(code);
  }

  /** Reads versions other replicas published; call before deciding with {@link find}. */
  refresh(): Promise<void> {
    return this.versions.refresh();
  }

  /** The newest version, which new cases are filed under. */
  async current(): Promise<CaseCategoryCatalogue> {
    await this.versions.refresh();
    const latest = this.versions.latest();
    if (!latest) throw new Error("no case-category catalogue is published");
    return this.catalogueOf(latest);
  }

  /** One version with who published it; the newest when `version` is 0. */
  async get(version: number): Promise<PublishedCatalogueVersion | undefined> {
    await this.versions.refresh();
    return version === 0 ? this.versions.latest() : this.versions.at(version);
  }

  /** Publishes the catalogue after `baseVersion` (command centre only). */
  async publish(
    baseVersion: number,
    categories: CaseCategory[],
    caller: Caller,
  ): Promise<PublishedCatalogueVersion> {
    requireCatalogueKeeper(caller, "the case-category catalogue");
    return this.versions.publish(baseVersion, (state, version) =>
      decidePublishCatalogueVersion(state, { version, categories, by: caller.subject, at: this.now() }),
    );
  }

  private catalogueAt(version: number): CaseCategoryCatalogue | undefined {
    const published = this.versions.at(version);
    return published && this.catalogueOf(published);
  }

  private catalogueOf(published: PublishedCatalogueVersion): CaseCategoryCatalogue {
    const known = this.catalogues.get(published.version);
    if (known) return known;
    const catalogue = new CaseCategoryCatalogue(published.categories, published.version);
    this.catalogues.set(published.version, catalogue);
    return catalogue;
  }
}
