import type { AggregateDescriptor } from "@civic/event-log";
import {
  type BallotBoxEvent,
  type BallotBoxState,
  evolveBallotBox,
  initialBallotBoxState,
} from "./domain/ballot-box.js";
import {
  type CoFundingEvent,
  type CoFundingState,
  evolveCoFunding,
  initialCoFundingState,
} from "./domain/co-funding.js";
import {
  type CouncilEvent,
  type CouncilState,
  evolveCouncil,
  initialCouncilState,
} from "./domain/council.js";
import { evolveFund, type FundEvent, type FundState, initialFundState } from "./domain/fund.js";
import {
  evolveMaintenanceFund,
  initialMaintenanceFundState,
  type MaintenanceFundEvent,
  type MaintenanceFundState,
} from "./domain/maintenance-fund.js";
import {
  evolveMeeting,
  initialMeetingState,
  type MeetingEvent,
  type MeetingState,
} from "./domain/meeting.js";
import {
  evolveMicroProject,
  evolveMicroProjectBudget,
  initialMicroProjectBudgetState,
  initialMicroProjectState,
  type MicroProjectBudgetEvent,
  type MicroProjectBudgetState,
  type MicroProjectEvent,
  type MicroProjectState,
} from "./domain/micro-project.js";
import {
  evolveRenovationProgramme,
  evolveRenovationProject,
  initialRenovationProgrammeState,
  initialRenovationProjectState,
  type RenovationProgrammeEvent,
  type RenovationProgrammeState,
  type RenovationProjectEvent,
  type RenovationProjectState,
} from "./domain/renovation.js";
import {
  evolveResolution,
  initialResolutionState,
  type ResolutionEvent,
  type ResolutionState,
} from "./domain/resolution.js";
import { evolveTopic, initialTopicState, type TopicEvent, type TopicState } from "./domain/topic.js";
import { evolveVote, initialVoteState, type VoteEvent, type VoteState } from "./domain/vote.js";

// The deliberation service's aggregates: the prefix of each one's stream ids, the collection of
// its snapshots, and how its state follows from its events.

export const councilAggregate: AggregateDescriptor<CouncilState, CouncilEvent> = {
  kind: "council",
  collection: "councils",
  initialState: initialCouncilState,
  evolve: evolveCouncil,
  snapshotIndexes: [{ name: "area", key: { "state.areaId": 1 } }],
};

export const voteAggregate: AggregateDescriptor<VoteState, VoteEvent> = {
  kind: "vote",
  collection: "votes",
  initialState: initialVoteState,
  evolve: evolveVote,
};

export const ballotBoxAggregate: AggregateDescriptor<BallotBoxState, BallotBoxEvent> = {
  kind: "box",
  collection: "ballot_boxes",
  initialState: initialBallotBoxState,
  evolve: evolveBallotBox,
};

export const topicAggregate: AggregateDescriptor<TopicState, TopicEvent> = {
  kind: "topic",
  collection: "topics",
  initialState: initialTopicState,
  evolve: evolveTopic,
  snapshotIndexes: [{ name: "area", key: { "state.areaId": 1 } }],
};

export const fundAggregate: AggregateDescriptor<FundState, FundEvent> = {
  kind: "fund",
  collection: "funds",
  initialState: initialFundState,
  evolve: evolveFund,
};

export const meetingAggregate: AggregateDescriptor<MeetingState, MeetingEvent> = {
  kind: "meeting",
  collection: "meetings",
  initialState: initialMeetingState,
  evolve: evolveMeeting,
};

export const resolutionAggregate: AggregateDescriptor<ResolutionState, ResolutionEvent> = {
  kind: "resolution",
  collection: "resolutions",
  initialState: initialResolutionState,
  evolve: evolveResolution,
};

export const coFundingAggregate: AggregateDescriptor<CoFundingState, CoFundingEvent> = {
  kind: "co_funding",
  collection: "co_fundings",
  initialState: initialCoFundingState,
  evolve: evolveCoFunding,
  snapshotIndexes: [{ name: "status_at", key: { "state.status": 1, "state.at": 1 } }],
};

export const maintenanceFundAggregate: AggregateDescriptor<MaintenanceFundState, MaintenanceFundEvent> = {
  kind: "maintenance_fund",
  collection: "maintenance_funds",
  initialState: initialMaintenanceFundState,
  evolve: evolveMaintenanceFund,
};

export const microProjectAggregate: AggregateDescriptor<MicroProjectState, MicroProjectEvent> = {
  kind: "micro_project",
  collection: "micro_projects",
  initialState: initialMicroProjectState,
  evolve: evolveMicroProject,
  snapshotIndexes: [{ name: "community_year", key: { "state.communityId": 1, "state.year": 1 } }],
};

/** A community's micro-project budget of a year: id `<community>_<year>`. */
export const microProjectBudgetAggregate: AggregateDescriptor<
  MicroProjectBudgetState,
  MicroProjectBudgetEvent
> = {
  kind: "micro_project_budget",
  collection: "micro_project_budgets",
  initialState: initialMicroProjectBudgetState,
  evolve: evolveMicroProjectBudget,
  snapshotIndexes: [{ name: "community_year", key: { "state.communityId": 1, "state.year": 1 } }],
};

export const renovationProgrammeAggregate: AggregateDescriptor<
  RenovationProgrammeState,
  RenovationProgrammeEvent
> = {
  kind: "renovation_programme",
  collection: "renovation_programmes",
  initialState: initialRenovationProgrammeState,
  evolve: evolveRenovationProgramme,
};

export const renovationProjectAggregate: AggregateDescriptor<RenovationProjectState, RenovationProjectEvent> =
  {
    kind: "renovation_project",
    collection: "renovation_projects",
    initialState: initialRenovationProjectState,
    evolve: evolveRenovationProject,
    snapshotIndexes: [{ name: "programme_phase", key: { "state.programmeId": 1, "state.phaseId": 1 } }],
  };
