export { referralCaseId } from "./app/case-referrals.js";
export { SlaWatcher } from "./app/sla-watcher.js";
export { type GridCasesConfig, gridCasesConfigSchema } from "./config.js";
export {
  type CaseEvent,
  type CaseState,
  evolveCase,
  initialCaseState,
  type OpenCase,
} from "./domain/case.js";
export { type RunningGridCases, startGridCases } from "./service.js";
