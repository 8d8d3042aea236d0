import type { ApiClient } from "./api.js";
import { element, show } from "./dom.js";
import { type LabelKey, label } from "./labels.js";

/** The parts of `GET /api/v1/scorecards/{areaId}/{year}` the board shows; rates absent when undefined. */
export interface Scorecard {
  name: string;
  year: number;
  cases: {
    collected: number;
    resolved: number;
    resolutionRate?: number;
    onTimeRate?: number;
    satisfactionRate?: number;
  };
  liaison: { solveRate?: number };
  socialOrganisations: { organisationsPer10k?: number };
  volunteering: { hoursPerResident?: number };
  staffing: { workersPer10k?: number };
  compounds: { redCommitteeCoverage?: number };
}

export function loadScorecard(api: ApiClient, areaId: string, year: string): Promise<Scorecard> {
  return api.get<Scorecard>(`/api/v1/scorecards/${areaId}/${year}`);
}

export function renderScorecard(target: HTMLElement, scorecard: Scorecard): void {
  const percent = (rate: number | undefined) => (rate === undefined ? "—" : `${rate.toFixed(2)}%`);
  const plain = (value: number | undefined) => (value === undefined ? "—" : String(value));
  const figures: [LabelKey, string, string][] = [
    ["collected", "collected", plain(scorecard.cases.collected)],
    ["resolved", "resolved", plain(scorecard.cases.resolved)],
    ["resolutionRate", "resolution-rate", percent(scorecard.cases.resolutionRate)],
    ["onTimeRate", "on-time-rate", percent(scorecard.cases.onTimeRate)],
    ["satisfactionRate", "satisfaction-rate", percent(scorecard.cases.satisfactionRate)],
    ["liaisonSolveRate", "liaison-solve-rate", percent(scorecard.liaison.solveRate)],
    [
      "organisationsPer10k",
      "organisations-per-10k",
      plain(scorecard.socialOrganisations.organisationsPer10k),
    ],
    ["volunteerHoursPerResident", "hours-per-resident", plain(scorecard.volunteering.hoursPerResident)],
    ["workersPer10k", "workers-per-10k", plain(scorecard.staffing.workersPer10k)],
    ["redCommitteeCoverage", "red-committee-coverage", percent(scorecard.compounds.redCommitteeCoverage)],
  ];
  show(
    target,
    element("p", { class: "note" }, `${scorecard.name} · ${scorecard.year}`),
    element(
      "dl",
      { class: "figures" },
      ...figures.flatMap(([key, figure, value]) => [
        element("dt", {}, label(key)),
        element("dd", { "data-figure": `scorecard-${figure}` }, value),
      ]),
    ),
  );
}
