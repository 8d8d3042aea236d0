import { AreaCode } from "@civic/domain-kit";
import type { ApiClient } from "./api.js";
import { element, show } from "./dom.js";
import { label, labelOf } from "./labels.js";

export interface StreetSafety {
  streetId: string;
  name: string;
  /** The published index of the month; absent until it is published. */
  score?: number;
  level?: string;
}

interface SafetyIndexPeriod {
  areaId: string;
  published?: { score: number; level: string };
}

/** The district of an area (none for a city): the safety index is published for a district's streets. */
export function districtOf(areaId: string): string | undefined {
  const level = AreaCode.level(areaId);
  return level && level !== "city" ? AreaCode.at(areaId, "district") : undefined;
}

/** Each street of the district with its published index for the month. */
export async function loadSafetyBoard(
  api: ApiClient,
  districtId: string,
  period: string,
): Promise<StreetSafety[]> {
  const [streets, indexes] = await Promise.all([
    api.get<{ areas: { areaId: string; name: string }[] }>(
      `/api/v1/areas?parentId=${districtId}&pageSize=200`,
    ),
    api.get<{ streets: SafetyIndexPeriod[] }>(
      `/api/v1/safety-index/${districtId}/${period}/streets?pageSize=200`,
    ),
  ]);
  const published = new Map(indexes.streets.map((index) => [index.areaId, index.published]));
  return streets.areas.map((street) => {
    const index = published.get(street.areaId);
    return {
      streetId: street.areaId,
      name: street.name,
      ...(index ? { score: index.score, level: index.level } : {}),
    };
  });
}

export function renderSafetyBoard(target: HTMLElement, streets: StreetSafety[] | undefined): void {
  if (streets === undefined) {
    show(target, element("p", { class: "note" }, label("safetyNeedsDistrict")));
    return;
  }
  show(
    target,
    element(
      "ul",
      { class: "streets" },
      ...streets.map((street) =>
        element(
          "li",
          { "data-street": street.streetId, "data-level": street.level ?? "none" },
          element("span", { class: "name" }, street.name),
          element("span", { class: "score" }, street.score === undefined ? "" : street.score.toFixed(1)),
          element(
            "span",
            { class: "level" },
            street.level ? labelOf("level", street.level) : label("notPublished"),
          ),
        ),
      ),
    ),
  );
}
