export { proposalTopicId } from "./app/topic-desk.js";
export { type DeliberationConfig, deliberationConfigSchema } from "./config.js";
export { decideCast, evolveBallotBox, initialBallotBoxState } from "./domain/ballot-box.js";
export { type DeliberationOptions, type RunningDeliberation, startDeliberation } from "./service.js";
