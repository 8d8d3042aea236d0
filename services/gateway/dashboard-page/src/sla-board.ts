import type { ApiClient } from "./api.js";
import { areaNames } from "./area-names.js";
import { shownInChinaTime } from "./china-time.js";
import { element, show, table } from "./dom.js";
import { type LabelKey, label, labelOf } from "./labels.js";
import {
  countByColour,
  mostUrgent,
  type OpenCase,
  openCaseStatuses,
  type SlaColour,
  slaColourOf,
  slaColours,
} from "./sla-colour.js";

export interface SlaBoard {
  cases: OpenCase[];
  /** More open cases exist than the board reads. */
  capped: boolean;
  /** The names of the most urgent cases' areas. */
  areaNames: Map<string, string>;
}

const pageSize = 200;
/** The board reads at most this many open cases (pages of 200), the most a screen can use. */
const mostCases = 2_000;
const urgentRows = 15;

const colourLabels: Record<SlaColour, LabelKey> = {
  overdue: "overdue",
  due_today: "dueToday",
  due_soon: "dueSoon",
  on_track: "onTrack",
  awaiting_acceptance: "awaitingAcceptance",
};

/** The open cases of an area, read page by page from `GET /api/v1/cases`. */
export async function loadSlaBoard(api: ApiClient, areaId: string): Promise<SlaBoard> {
  const query = new URLSearchParams({ areaIdPrefix: areaId, pageSize: String(pageSize) });
  for (const status of openCaseStatuses) query.append("statuses", status);
  const cases: OpenCase[] = [];
  let pageToken = "";
  do {
    if (pageToken) query.set("pageToken", pageToken);
    const page = await api.get<{ cases: OpenCase[]; nextPageToken?: string }>(`/api/v1/cases?${query}`);
    cases.push(...page.cases);
    pageToken = page.nextPageToken ?? "";
  } while (pageToken && cases.length < mostCases);
  const names = await areaNames(
    api,
    mostUrgent(cases, urgentRows).map((openCase) => openCase.areaId),
  );
  return { cases, capped: pageToken !== "", areaNames: names };
}

export function renderSlaBoard(target: HTMLElement, board: SlaBoard, now = new Date()): void {
  const counts = countByColour(board.cases, now);
  const tiles = element(
    "div",
    { class: "tiles" },
    tile("open", label("openCases"), board.cases.length),
    ...slaColours.map((colour) => tile(colour, label(colourLabels[colour]), counts[colour])),
  );
  const rows = mostUrgent(board.cases, urgentRows).map((openCase) =>
    element(
      "tr",
      { "data-colour": slaColourOf(openCase, now) },
      element("td", {}, openCase.title),
      element("td", { title: openCase.areaId }, board.areaNames.get(openCase.areaId) ?? openCase.areaId),
      element("td", {}, labelOf("status", openCase.status)),
      element("td", {}, openCase.resolveDue ? shownInChinaTime(openCase.resolveDue) : "—"),
    ),
  );
  show(
    target,
    tiles,
    board.capped && element("p", { class: "note" }, label("listCapped", { count: board.cases.length })),
    element("h3", {}, label("mostUrgent")),
    table(
      (["caseTitle", "caseArea", "caseStatus", "resolveDue"] as const).map((key) => label(key)),
      rows,
    ),
  );
}

function tile(colour: SlaColour | "open", caption: string, count: number): HTMLElement {
  return element(
    "div",
    { class: "tile", "data-colour": colour },
    element("span", { class: "count", "data-figure": `sla-${colour}` }, count),
    element("span", { class: "caption" }, caption),
  );
}
