export { caseStatisticsProjection } from "./adapters/case-statistics-projection.js";
export { caseAggregate } from "./aggregates.js";
export { referralCaseId } from "./app/case-referral-desk.js";
export { CaseStatisticsDesk } from "./app/case-statistics-desk.js";
export { SlaWatcher } from "./app/sla-watcher.js";
export { type GridCasesConfig, gridCasesConfigSchema } from "./config.js";
export {
  type CaseEvent,
  type CaseState,
  evolveCase,
  initialCaseState,
  type OpenCase,
} from "./domain/case.js";
export { defaultCaseCategories } from "./domain/case-categories.js";
export { type CaseCounters, countCaseEvent, statisticsKeysOf } from "./domain/case-statistics.js";
export { type RunningGridCases, startGridCases } from "./service.js";
