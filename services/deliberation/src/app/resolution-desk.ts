import { type Caller, FailedPreconditionError } from "@civic/domain-kit";
import type { AggregateRepository } from "@civic/event-log";
import { KeyedLock, retryOnConflict } from "@civic/event-log";
import type { Collection, Db } from "mongodb";
import { requireOrganiserOf } from "../domain/authorisation.js";
import {
  decideAdopt,
  decideProgress,
  decideRequestTask,
  decideReview,
  isReviewDue,
  type RequestTask,
  type Resolution,
  type ResolutionEvent,
  type ResolutionState,
  requireResolution,
  type TaskProgressReport,
} from "../domain/resolution.js";
import type { VoteResult } from "../domain/vote.js";
import type { MeetingDesk } from "./meeting-desk.js";
import type { VoteDesk } from "./vote-desk.js";

/** Which resolution a task belongs to: services report progress by task id alone. */
interface TaskIndexEntry {
  _id: string;
  resolutionId: string;
}

export interface ResolutionView {
  resolution: Resolution;
  version: number;
}

/** Use cases of resolutions: adopt from an adopted vote, request tasks, take progress, review, disclose. */
export class ResolutionDesk {
  private readonly taskIndex: Collection<TaskIndexEntry>;
  private readonly lock = new KeyedLock();

  constructor(
    db: Db,
    private readonly resolutions: AggregateRepository<ResolutionState, ResolutionEvent>,
    private readonly votes: Pick<VoteDesk, "get">,
    private readonly meetings: Pick<MeetingDesk, "get">,
    private readonly newId: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.taskIndex = db.collection<TaskIndexEntry>("task_index");
  }

  /** One resolution per adopted vote; its id is the vote's. */
  async adopt(voteId: string, input: { title: string; text: string; reviewDate: string }, caller: Caller) {
    const { vote } = await this.votes.get(voteId);
    requireOrganiserOf(caller, vote.areaId, "adopting a resolution");
    if (vote.status !== "closed" || !vote.result?.adopted) {
      throw new FailedPreconditionError(`vote ${voteId} did not adopt its motion`, "VOTE_NOT_ADOPTED");
    }
    const adopted = decideAdopt({
      ...input,
      resolutionId: voteId,
      voteId,
      meetingId: "",
      motionId: "",
      councilId: vote.councilId,
      areaId: vote.areaId,
      by: caller.subject,
      at: this.now(),
    });
    const { state, version } = await this.resolutions.create(voteId, () => adopted);
    return { resolution: requireResolution(state, voteId), version };
  }

  /** One resolution per motion a meeting adopted; its id is the motion's. */
  async adoptFromMotion(
    meetingId: string,
    motionId: string,
    input: { title: string; text: string; reviewDate: string },
    caller: Caller,
  ): Promise<ResolutionView> {
    const { meeting } = await this.meetings.get(meetingId);
    requireOrganiserOf(caller, meeting.areaId, "adopting a resolution");
    const motion = meeting.motions.find((candidate) => candidate.motionId === motionId);
    if (motion?.status !== "adopted") {
      throw new FailedPreconditionError(
        `motion ${motionId} was not adopted at meeting ${meetingId}`,
        "MOTION_NOT_ADOPTED",
      );
    }
    const adopted = decideAdopt({
      ...input,
      resolutionId: motionId,
      voteId: "",
      meetingId,
      motionId,
      councilId: meeting.councilId,
      areaId: meeting.areaId,
      by: caller.subject,
      at: this.now(),
    });
    const { state, version } = await this.resolutions.create(motionId, () => adopted);
    return { resolution: requireResolution(state, motionId), version };
  }

  /** The area of the resolution with this id, undefined when none was adopted (allocations rest on one). */
  async areaOf(resolutionId: string): Promise<string | undefined> {
    const { state } = await this.resolutions.load(resolutionId);
    return state.status === "none" ? undefined : state.areaId;
  }

  async requestTask(
    resolutionId: string,
    input: Omit<RequestTask, "taskId" | "by" | "at">,
    caller: Caller,
  ): Promise<ResolutionView> {
    const task = { ...input, taskId: this.newId(), by: caller.subject, at: this.now() };
    const decide = (resolution: Resolution) => {
      requireOrganiserOf(caller, resolution.areaId, "requesting a task");
      return decideRequestTask(resolution, task);
    };
    // A refused request writes nothing: the decision is checked before the index entry is written.
    const { state } = await this.resolutions.load(resolutionId);
    decide(requireResolution(state, resolutionId));
    // The index entry comes before the event: a progress report may arrive as soon as it is out.
    await this.taskIndex.insertOne({ _id: task.taskId, resolutionId });
    try {
      return await this.change(resolutionId, decide);
    } catch (error) {
      await this.taskIndex.deleteOne({ _id: task.taskId });
      throw error;
    }
  }

  /**
   * Applies a progress report from grid-cases, volunteer-stations or social-registry.
   * Returns false for a task this service does not know (another platform's, or a request
   * that failed).
   */
  async recordProgress(report: TaskProgressReport): Promise<boolean> {
    const entry = await this.taskIndex.findOne({ _id: report.taskId });
    if (!entry) return false;
    await this.lock.run(entry.resolutionId, () =>
      retryOnConflict(() =>
        this.resolutions.execute(entry.resolutionId, (current) =>
          decideProgress(requireResolution(current, entry.resolutionId), report),
        ),
      ),
    );
    return true;
  }

  review(resolutionId: string, outcome: string, caller: Caller): Promise<ResolutionView> {
    return this.change(resolutionId, (resolution) => {
      requireOrganiserOf(caller, resolution.areaId, "reviewing a resolution");
      return decideReview(resolution, outcome, caller.subject, this.now());
    });
  }

  async get(resolutionId: string): Promise<ResolutionView> {
    const { state, version } = await this.resolutions.load(resolutionId);
    return { resolution: requireResolution(state, resolutionId), version };
  }

  /** The public view (公开): what was decided, by what vote, the tasks' progress, the review. */
  async disclosure(
    resolutionId: string,
  ): Promise<ResolutionView & { result: VoteResult | undefined; reviewDue: boolean }> {
    const { resolution, version } = await this.get(resolutionId);
    const result = resolution.voteId
      ? (await this.votes.get(resolution.voteId)).vote.result
      : await this.motionResult(resolution.meetingId, resolution.motionId);
    return { resolution, version, result, reviewDue: isReviewDue(resolution, this.now()) };
  }

  /** A motion's counted hands, shown as a vote result. */
  private async motionResult(meetingId: string, motionId: string): Promise<VoteResult | undefined> {
    const { meeting } = await this.meetings.get(meetingId);
    const motion = meeting.motions.find((candidate) => candidate.motionId === motionId);
    if (!motion?.result) return undefined;
    const { yes, no, abstain } = motion.result;
    const decided = meeting.record
      .flatMap((event) =>
        event.type === "meeting.motion_decided" && event.data.motionId === motionId ? [event.data] : [],
      )
      .at(0);
    return {
      options: [
        { option: "yes", votes: yes, areaCentiM2: 0 },
        { option: "no", votes: no, areaCentiM2: 0 },
        { option: "abstain", votes: abstain, areaCentiM2: 0 },
      ],
      votesCast: yes + no + abstain,
      participatingAreaCentiM2: 0,
      adopted: motion.status === "adopted",
      reason: `adopted at "${meeting.title}" by a show of hands: ${yes} for, ${no} against, ${abstain} abstaining`,
      elected: [],
      chainHead: "",
      closedBy: decided?.by ?? "",
      closedAt: decided?.at ?? meeting.at,
    };
  }

  private async change(
    resolutionId: string,
    decide: (resolution: Resolution) => ResolutionEvent,
  ): Promise<ResolutionView> {
    const { state, version } = await this.lock.run(resolutionId, () =>
      retryOnConflict(() =>
        this.resolutions.execute(resolutionId, (current) => decide(requireResolution(current, resolutionId))),
      ),
    );
    return { resolution: requireResolution(state, resolutionId), version };
  }
}
