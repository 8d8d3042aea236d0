import type { Projection } from "@civic/event-log";
import {
  countLiaisonFact,
  emptyLiaisonFigures,
  type LiaisonFact,
  type LiaisonFigures,
  liaisonKeysOf,
} from "../domain/liaison-statistics.js";

/** Liaison figures by area (all, district, street, community), one writer, from party-building's own events. */
export function liaisonStatisticsProjection(
  stream: string,
  subjectPrefix: string,
): Projection<LiaisonFigures> {
  return {
    name: "liaison-statistics",
    stream,
    filterSubjects: [
      `${subjectPrefix}.visit.logged`,
      `${subjectPrefix}.visit.problem_collected`,
      `${subjectPrefix}.problem.solved`,
    ],
    initialState: emptyLiaisonFigures,
    keysOf: (event) => liaisonKeysOf(String(event.data.areaId ?? "")),
    apply: (figures, event) => countLiaisonFact(figures, toFact(event.type, event.data)),
  };
}

function toFact(type: string, data: Record<string, unknown>): LiaisonFact {
  if (type.endsWith(".visit.logged"))
    return { type: "visit.logged", kind: String(data.kind), households: Number(data.households) };
  if (type.endsWith(".visit.problem_collected")) return { type: "visit.problem_collected" };
  return { type: "problem.solved" };
}
