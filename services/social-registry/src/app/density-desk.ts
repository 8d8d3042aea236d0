import type { AreaDirectory } from "@civic/area-replica";
import { AreaCode, chinaDate, FieldChecks, NotFoundError } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import { dateOrToday } from "../domain/calendar-date.js";
import {
  type DensityReport,
  type DensityTargets,
  densityReport,
  type Settlement,
} from "../domain/density.js";
import type { Organisation, OrganisationEvent, OrganisationState } from "../domain/organisation.js";
import type { SocialWorkDesk } from "./social-work-desk.js";

/**
 * Density figures of an area on a date: organisations and workers from this service's
 * snapshots, residents and communities from its replica of grid-cases' areas. grid-cases'
 * areas carry no urban/rural mark, so every community takes `defaultSettlement`.
 */
export class DensityDesk {
  constructor(
    private readonly organisations: AggregateRepository<OrganisationState, OrganisationEvent>,
    private readonly socialWork: SocialWorkDesk,
    private readonly areas: AreaDirectory,
    private readonly targets: DensityTargets,
    private readonly defaultSettlement: Settlement,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async report(areaId: string, asOfInput: string): Promise<DensityReport> {
    const checks = new FieldChecks().check(
      "areaId",
      AreaCode.is(areaId, "district", "street", "community"),
      "must be a district, street or community code",
    );
    const asOf = dateOrToday(asOfInput, this.now());
    if (asOf === undefined) checks.add("asOf", "must be a date YYYY-MM-DD");
    else if (asOf > chinaDate(this.now())) checks.add("asOf", "must not be in the future");
    checks.throwIfAny();
    const area = await this.areas.get(areaId);
    if (!area) throw new NotFoundError("area (in the replica of grid-cases' areas)", areaId);
    // A city's code (440400) is no prefix of its districts' (440402): they share 4 digits.
    const members = AreaCode.prefixOf(areaId);
    const [organisations, workers, communities] = await Promise.all([
      this.organisations.snapshots
        .find(AreaCode.range("state.areaId", members), {
          projection: { "state.areaId": 1, "state.statusHistory": 1 },
        })
        .toArray(),
      this.socialWork.workersIn(members),
      this.areas.within(members, "community"),
    ]);
    return densityReport({
      areaId,
      asOf: asOf as string,
      population: area.population,
      organisations: organisations.map(({ state }) => state as Organisation),
      workers,
      communities: communities.map((community) => ({
        areaId: community.areaId,
        name: community.name,
        settlement: this.defaultSettlement,
      })),
      targets: this.targets,
    });
  }
}
