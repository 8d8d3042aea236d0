import type { deliberationV1 } from "@civic/contracts";
import type { Metadata } from "@grpc/grpc-js";
import { type Request, type Response, Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../../grpc-call.js";
import { checked, iso, present } from "./checked.js";

const conveneBody = z
  .object({
    title: z.string(),
    chairId: z.string(),
    maxSpeeches: z.number().int().default(0),
    maxSpeechSeconds: z.number().int().default(0),
    noSecondRequired: z.boolean().default(false),
  })
  .strict();
const attendanceBody = z.object({ memberId: z.string() }).strict();
const motionBody = z.object({ text: z.string(), amends: z.string().default("") }).strict();
const speechBody = z.object({ memberId: z.string(), seconds: z.number().int() }).strict();
const voteBody = z
  .object({ yes: z.number().int(), no: z.number().int(), abstain: z.number().int() })
  .strict();
const emptyBody = z.object({}).strict();

export function meetingJson(meeting: deliberationV1.Meeting) {
  return {
    ...meeting,
    convenedAt: iso(meeting.convenedAt),
    motions: meeting.motions.map((motion) => ({
      ...motion,
      speeches: motion.speeches.map((speech) => ({ ...speech, at: iso(speech.at) })),
    })),
  };
}

/** /api/v1/councils/{id}/meetings and /api/v1/meetings: see MeetingService in proto/civic/deliberation/v1. */
export function meetingRoutes({
  meetings,
  call,
}: {
  meetings: deliberationV1.MeetingServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const meetingId = (request: Request) => request.params.meetingId as string;
  const motionId = (request: Request) => request.params.motionId as string;
  const send = (
    response: Response,
    status: number,
    answer: { meeting?: deliberationV1.Meeting | undefined },
  ) => {
    response.status(status).json(meetingJson(present(answer.meeting, "a meeting")));
  };

  router.post("/api/v1/councils/:councilId/meetings", async (request, response) => {
    const body = checked(conveneBody, request.body, request, response);
    if (!body) return;
    const answer = await call<deliberationV1.ConveneMeetingResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        meetings.conveneMeeting(
          { councilId: request.params.councilId as string, ...body },
          metadata,
          options,
          callback,
        ),
    );
    send(response, 201, answer);
  });

  router.post("/api/v1/meetings/:meetingId/attendance", async (request, response) => {
    const body = checked(attendanceBody, request.body, request, response);
    if (!body) return;
    const answer = await call<deliberationV1.RecordAttendanceResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        meetings.recordAttendance({ meetingId: meetingId(request), ...body }, metadata, options, callback),
    );
    send(response, 201, answer);
  });

  router.post("/api/v1/meetings/:meetingId/open", async (request, response) => {
    if (!checked(emptyBody, request.body ?? {}, request, response)) return;
    const answer = await call<deliberationV1.OpenMeetingResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        meetings.openMeeting({ meetingId: meetingId(request) }, metadata, options, callback),
    );
    send(response, 200, answer);
  });

  router.post("/api/v1/meetings/:meetingId/motions", async (request, response) => {
    const body = checked(motionBody, request.body, request, response);
    if (!body) return;
    const answer = await call<deliberationV1.MoveMotionResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        meetings.moveMotion({ meetingId: meetingId(request), ...body }, metadata, options, callback),
    );
    send(response, 201, answer);
  });

  router.post("/api/v1/meetings/:meetingId/motions/:motionId/second", async (request, response) => {
    if (!checked(emptyBody, request.body ?? {}, request, response)) return;
    const answer = await call<deliberationV1.SecondMotionResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        meetings.secondMotion(
          { meetingId: meetingId(request), motionId: motionId(request) },
          metadata,
          options,
          callback,
        ),
    );
    send(response, 200, answer);
  });

  router.post("/api/v1/meetings/:meetingId/motions/:motionId/speeches", async (request, response) => {
    const body = checked(speechBody, request.body, request, response);
    if (!body) return;
    const answer = await call<deliberationV1.RecordSpeechResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        meetings.recordSpeech(
          { meetingId: meetingId(request), motionId: motionId(request), ...body },
          metadata,
          options,
          callback,
        ),
    );
    send(response, 201, answer);
  });

  router.post("/api/v1/meetings/:meetingId/motions/:motionId/vote", async (request, response) => {
    const body = checked(voteBody, request.body, request, response);
    if (!body) return;
    const answer = await call<deliberationV1.DecideMotionResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        meetings.decideMotion(
          { meetingId: meetingId(request), motionId: motionId(request), ...body },
          metadata,
          options,
          callback,
        ),
    );
    send(response, 200, answer);
  });

  router.post("/api/v1/meetings/:meetingId/adjourn", async (request, response) => {
    if (!checked(emptyBody, request.body ?? {}, request, response)) return;
    const answer = await call<deliberationV1.AdjournMeetingResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        meetings.adjournMeeting({ meetingId: meetingId(request) }, metadata, options, callback),
    );
    send(response, 200, answer);
  });

  router.get("/api/v1/meetings/:meetingId", async (request, response) => {
    const answer = await call<deliberationV1.GetMeetingResponse>(
      request,
      (metadata: Metadata, options, callback) =>
        meetings.getMeeting({ meetingId: meetingId(request) }, metadata, options, callback),
    );
    send(response, 200, answer);
  });

  return router;
}
