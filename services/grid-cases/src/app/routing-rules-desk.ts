import type { Caller } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import {
  decidePublishRoutingRules,
  type PublishedRoutingRules,
  type RoutingRule,
  type RoutingRulesEvent,
  type RoutingRulesState,
} from "../domain/routing-rules.js";
import { type CaseCategoryDesk, requireCatalogueKeeper } from "./case-category-desk.js";
import { PublishedVersions } from "./published-versions.js";

/** The routing rules (area × category → department) as data, in versions; none until the command centre publishes some. */
export class RoutingRulesDesk {
  private readonly versions: PublishedVersions<RoutingRulesState, RoutingRulesEvent, PublishedRoutingRules>;

  constructor(
    repository: AggregateRepository<RoutingRulesState, RoutingRulesEvent>,
    private readonly categories: Pick<CaseCategoryDesk, "current">,
    private readonly registry: {
      exists(areaId: string): Promise<boolean>;
      departmentExists(departmentId: string): Promise<boolean>;
    },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.versions = new PublishedVersions(repository, "the routing rules");
  }

  /** The newest rules, which route cases accepted now; undefined before any are published. */
  async current(): Promise<PublishedRoutingRules | undefined> {
    await this.versions.refresh();
    return this.versions.latest();
  }

  /** One version; the newest when `version` is 0. */
  async get(version: number): Promise<PublishedRoutingRules | undefined> {
    await this.versions.refresh();
    return version === 0 ? this.versions.latest() : this.versions.at(version);
  }

  /** Publishes the rules after `baseVersion` (0 for the first); areas, categories and departments must exist. */
  async publish(baseVersion: number, rules: RoutingRule[], caller: Caller): Promise<PublishedRoutingRules> {
    requireCatalogueKeeper(caller, "the routing rules");
    const catalogue = await this.categories.current();
    const knownAreas = await this.existing(
      rules.map((rule) => rule.areaId),
      (id) => this.registry.exists(id),
    );
    const knownDepartments = await this.existing(
      rules.map((rule) => rule.departmentId),
      (id) => this.registry.departmentExists(id),
    );
    return this.versions.publish(baseVersion, (state, version) =>
      decidePublishRoutingRules(
        state,
        { version, rules, by: caller.subject, at: this.now() },
        {
          areaExists: (areaId) => knownAreas.has(areaId),
          categoryExists: (code) => catalogue.find(code) !== undefined,
          departmentExists: (departmentId) => knownDepartments.has(departmentId),
        },
      ),
    );
  }

  private async existing(ids: string[], exists: (id: string) => Promise<boolean>): Promise<Set<string>> {
    const distinct = [...new Set(ids.map((id) => id.trim()).filter((id) => /^[a-z0-9-]{1,64}$/.test(id)))];
    const found = await Promise.all(distinct.map(async (id) => ((await exists(id)) ? id : undefined)));
    return new Set(found.filter((id) => id !== undefined));
  }
}
