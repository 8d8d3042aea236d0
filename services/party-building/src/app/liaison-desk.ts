import { type Caller, NotFoundError, PermissionDeniedError } from "@civic/domain-kit";
import type { AggregateRepository, ProjectionReader } from "@civic/event-log";
import {
  type CollectedProblem,
  type CollectProblem,
  decideCollect,
  decideSolve,
  type ProblemEvent,
  type ProblemState,
  validateProblem,
} from "../domain/collected-problem.js";
import {
  type AssignLiaison,
  type CadreEvent,
  type CadreState,
  decideAssign,
  decideLogVisit,
  type LiaisonCadre,
  type LoggedVisit,
  type LogVisit,
  type VisitEvent,
  type VisitState,
  validateAssignment,
  validateVisit,
} from "../domain/liaison.js";
import { type LiaisonFigures, solveRate } from "../domain/liaison-statistics.js";
import { coversArea, partyRoles, requireOrganiserOf, requireRoleIn } from "../domain/party-roles.js";

export interface LiaisonStatistics extends LiaisonFigures {
  areaId: string;
  solveRate: number | null;
}

/** Who may read liaison statistics of an area. */
const statisticsReaders = [partyRoles.partyOrganiser, partyRoles.communityStaff, "command_centre"];

/** Use cases of liaison work: assignments, visits, problems collected and solved, statistics. */
export class LiaisonDesk {
  constructor(
    private readonly cadres: AggregateRepository<CadreState, CadreEvent>,
    private readonly visits: AggregateRepository<VisitState, VisitEvent>,
    private readonly problems: AggregateRepository<ProblemState, ProblemEvent>,
    private readonly statistics: ProjectionReader<LiaisonFigures>,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The cadre with the assignment; `created` when this call made them a liaison cadre. */
  async assign(command: AssignLiaison, caller: Caller): Promise<{ cadre: LiaisonCadre; created: boolean }> {
    validateAssignment(command);
    requireOrganiserOf(caller, command.targetKind === "community" ? command.targetId : command.areaId);
    const { state, version, event } = await this.cadres.execute(command.cadreId, (current) =>
      decideAssign(command, current, caller, this.now()),
    );
    return { cadre: assigned(state, command.cadreId), created: event !== undefined && version === 1 };
  }

  async cadre(cadreId: string, caller: Caller): Promise<LiaisonCadre> {
    const cadre = assigned((await this.cadres.load(cadreId)).state, cadreId);
    if (
      caller.subject !== cadreId &&
      !cadre.assignments.some((assignment) => coversArea(caller, assignment.areaId))
    )
      requireOrganiserOf(caller, cadre.assignments[0]?.areaId ?? "");
    return cadre;
  }

  /** The caller is the cadre: the visit counts only where one of their assignments covers it. */
  async logVisit(command: LogVisit, caller: Caller): Promise<LoggedVisit> {
    validateVisit(command);
    const { state: cadre } = await this.cadres.load(caller.subject);
    const visitId = this.newId();
    const { state } = await this.visits.create(visitId, () =>
      decideLogVisit(command, visitId, cadre, caller.subject, this.now()),
    );
    return logged(state, visitId);
  }

  async collectProblem(visitId: string, command: CollectProblem, caller: Caller): Promise<CollectedProblem> {
    validateProblem(command);
    const visit = logged((await this.visits.load(visitId)).state, visitId);
    const problemId = this.newId();
    const { state } = await this.problems.create(problemId, () =>
      decideCollect(command, problemId, visit, caller, this.now()),
    );
    return collected(state, problemId);
  }

  async problem(problemId: string, caller: Caller): Promise<CollectedProblem> {
    const problem = collected((await this.problems.load(problemId)).state, problemId);
    if (caller.subject !== problem.collectedBy) requireRoleIn(caller, statisticsReaders, problem.areaId);
    return problem;
  }

  /** The grid case opened for the problem was resolved; a repeat changes nothing. */
  async solveFromCase(problemId: string, caseId: string, resolvedAt: Date): Promise<CollectedProblem> {
    const { state } = await this.problems.execute(problemId, (current) =>
      decideSolve(collected(current, problemId), caseId, resolvedAt),
    );
    return collected(state, problemId);
  }

  /** Figures of an area (a district, street or community code), or of everything when "". */
  async liaisonStatistics(areaId: string, caller: Caller): Promise<LiaisonStatistics> {
    if (areaId === "") {
      if (!caller.roles.includes(partyRoles.platformAdmin))
        throw new PermissionDeniedError("figures of the whole platform need the role platform_admin");
    } else {
      requireRoleIn(caller, statisticsReaders, areaId);
    }
    const { state } = await this.statistics(areaId || "all");
    return { areaId, ...state, solveRate: solveRate(state) };
  }
}

function assigned(state: CadreState, cadreId: string): LiaisonCadre {
  if (state.status === "none") throw new NotFoundError("liaison cadre", cadreId);
  return state;
}

function logged(state: VisitState, visitId: string): LoggedVisit {
  if (state.status === "none") throw new NotFoundError("visit", visitId);
  return state;
}

function collected(state: ProblemState, problemId: string): CollectedProblem {
  if (state.status === "none") throw new NotFoundError("problem", problemId);
  return state;
}
