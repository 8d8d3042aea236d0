import type { volunteerStationsV1 as v1 } from "@civic/contracts";
import { Router } from "express";
import { z } from "zod";
import type { GrpcCall } from "../grpc-call.js";
import { callRpc, pathParam, validatedRoute } from "../route-kit.js";
import { pageQuery } from "./volunteer-stations.js";

const id = z.string().max(128);
const areaPageQuery = z.object({ areaId: z.string().max(18).default(""), ...pageQuery }).strict();
const availability = z
  .array(
    z
      .object({ weekday: z.string().max(3), startTime: z.string().max(5), endTime: z.string().max(5) })
      .strict(),
  )
  .max(21)
  .default([]);
const skills = z.array(z.string().max(30)).max(20).default([]);

const volunteerBody = z
  .object({
    volunteerId: id,
    name: z.string().max(50),
    phone: z.string().max(20),
    areaId: z.string().max(18),
    skills,
    availability,
  })
  .strict();
const profileBody = z.object({ skills, availability }).strict();
const emptyBody = z.object({}).strict();
const activityBody = z
  .object({
    stationId: id,
    title: z.string().max(100),
    description: z.string().max(2_000).default(""),
    shifts: z
      .array(
        z
          .object({
            startsAt: z.iso.datetime({ offset: true }),
            endsAt: z.iso.datetime({ offset: true }),
            capacity: z.number().int(),
          })
          .strict(),
      )
      .max(50),
    requestId: id.default(""),
  })
  .strict();
const closeBody = z
  .object({ outcome: z.enum(["completed", "cancelled"]), note: z.string().max(500).default("") })
  .strict();
const codeBody = z.object({ purpose: z.enum(["check_in", "check_out"]) }).strict();
const signUpBody = z.object({ volunteerId: id }).strict();
const attendanceBody = z.object({ code: z.string().max(12) }).strict();
const minutes = z.number().int().min(-1_000_000).max(1_000_000);
const recordHoursBody = z.object({ minutes, note: z.string().max(500).default("") }).strict();
const declineBody = z.object({ reason: z.string().max(500) }).strict();
const correctionBody = z.object({ minutes, reason: z.string().max(500) }).strict();
const periodQuery = z.object({ from: z.string().max(10), to: z.string().max(10) }).strict();

/** Volunteers, activities, shifts and sign-ups: see VolunteerService and ActivityService in proto/. */
export function volunteerActivityRoutes({
  volunteers,
  activities,
  call,
}: {
  volunteers: v1.VolunteerServiceClient;
  activities: v1.ActivityServiceClient;
  call: GrpcCall;
}): Router {
  const router = Router();
  const volunteerPath = "/api/v1/volunteers/:volunteerId";
  const signUpPath = "/api/v1/volunteer-shifts/:shiftId/sign-ups/:volunteerId";
  const signUpKey = (request: Parameters<typeof pathParam>[0]) => ({
    shiftId: pathParam(request, "shiftId"),
    volunteerId: pathParam(request, "volunteerId"),
  });

  router.post(
    "/api/v1/volunteers",
    validatedRoute("body", volunteerBody, async (body, request, response) => {
      const { volunteer } = await callRpc(call, request, volunteers.registerVolunteer.bind(volunteers), body);
      response.status(201).location(`/api/v1/volunteers/${body.volunteerId}`).json(volunteer);
    }),
  );
  router.put(
    `${volunteerPath}/profile`,
    validatedRoute("body", profileBody, async (body, request, response) => {
      const { volunteer } = await callRpc(call, request, volunteers.updateVolunteerProfile.bind(volunteers), {
        volunteerId: pathParam(request, "volunteerId"),
        ...body,
      });
      response.json(volunteer);
    }),
  );
  router.post(
    `${volunteerPath}/verification`,
    validatedRoute("body", emptyBody, async (_body, request, response) => {
      const { volunteer } = await callRpc(call, request, volunteers.verifyVolunteer.bind(volunteers), {
        volunteerId: pathParam(request, "volunteerId"),
      });
      response.json(volunteer);
    }),
  );
  router.get(volunteerPath, async (request, response) => {
    const { volunteer } = await callRpc(call, request, volunteers.getVolunteer.bind(volunteers), {
      volunteerId: pathParam(request, "volunteerId"),
    });
    response.json(volunteer);
  });
  router.get(
    "/api/v1/volunteers",
    validatedRoute("query", areaPageQuery, async (query, request, response) => {
      const page = await callRpc(call, request, volunteers.listVolunteers.bind(volunteers), query);
      response.json({ volunteers: page.volunteers, nextPageToken: page.nextPageToken || null });
    }),
  );

  router.post(
    "/api/v1/volunteer-activities",
    validatedRoute("body", activityBody, async (body, request, response) => {
      const { activity } = await callRpc(call, request, activities.publishActivity.bind(activities), {
        ...body,
        shifts: body.shifts.map((shift) => ({
          startsAt: new Date(shift.startsAt),
          endsAt: new Date(shift.endsAt),
          capacity: shift.capacity,
        })),
      });
      response.status(201).location(`/api/v1/volunteer-activities/${activity?.activityId}`).json(activity);
    }),
  );
  router.get(
    "/api/v1/volunteer-activity-requests",
    validatedRoute("query", areaPageQuery, async (query, request, response) => {
      const page = await callRpc(call, request, activities.listRequestedActivities.bind(activities), query);
      response.json({
        requestedActivities: page.requestedActivities,
        nextPageToken: page.nextPageToken || null,
      });
    }),
  );
  router.get("/api/v1/volunteer-activity-requests/:requestId", async (request, response) => {
    const { requestedActivity } = await callRpc(
      call,
      request,
      activities.getRequestedActivity.bind(activities),
      { requestId: pathParam(request, "requestId") },
    );
    response.json(requestedActivity);
  });
  router.get("/api/v1/volunteer-activities/:activityId", async (request, response) => {
    const { activity } = await callRpc(call, request, activities.getActivity.bind(activities), {
      activityId: pathParam(request, "activityId"),
    });
    response.json(activity);
  });
  router.get(
    "/api/v1/volunteer-activities",
    validatedRoute("query", areaPageQuery, async (query, request, response) => {
      const page = await callRpc(call, request, activities.listActivities.bind(activities), query);
      response.json({ activities: page.activities, nextPageToken: page.nextPageToken || null });
    }),
  );
  router.post(
    "/api/v1/volunteer-activities/:activityId/closure",
    validatedRoute("body", closeBody, async (body, request, response) => {
      const { activity } = await callRpc(call, request, activities.closeActivity.bind(activities), {
        activityId: pathParam(request, "activityId"),
        ...body,
      });
      response.json(activity);
    }),
  );

  router.post(
    "/api/v1/volunteer-shifts/:shiftId/codes",
    validatedRoute("body", codeBody, async (body, request, response) => {
      const issued = await callRpc(call, request, activities.issueShiftCode.bind(activities), {
        shiftId: pathParam(request, "shiftId"),
        ...body,
      });
      response.status(201).json(issued);
    }),
  );
  router.post(
    "/api/v1/volunteer-shifts/:shiftId/sign-ups",
    validatedRoute("body", signUpBody, async (body, request, response) => {
      const { signUp } = await callRpc(call, request, activities.signUpForShift.bind(activities), {
        shiftId: pathParam(request, "shiftId"),
        ...body,
      });
      response.status(201).json(signUp);
    }),
  );
  router.delete(signUpPath, async (request, response) => {
    const { signUp } = await callRpc(
      call,
      request,
      activities.cancelSignUp.bind(activities),
      signUpKey(request),
    );
    response.json(signUp);
  });
  router.get(signUpPath, async (request, response) => {
    const { signUp } = await callRpc(
      call,
      request,
      activities.getSignUp.bind(activities),
      signUpKey(request),
    );
    response.json(signUp);
  });
  router.post(
    `${signUpPath}/check-in`,
    validatedRoute("body", attendanceBody, async (body, request, response) => {
      const { signUp } = await callRpc(call, request, activities.checkIn.bind(activities), {
        ...signUpKey(request),
        ...body,
      });
      response.json(signUp);
    }),
  );
  router.post(
    `${signUpPath}/check-out`,
    validatedRoute("body", attendanceBody, async (body, request, response) => {
      const { signUp } = await callRpc(call, request, activities.checkOut.bind(activities), {
        ...signUpKey(request),
        ...body,
      });
      response.json(signUp);
    }),
  );
  router.post(
    "/api/v1/volunteer-shifts/:shiftId/no-shows",
    validatedRoute("body", emptyBody, async (_body, request, response) => {
      const marked = await callRpc(call, request, activities.markNoShows.bind(activities), {
        shiftId: pathParam(request, "shiftId"),
      });
      response.json(marked);
    }),
  );
  router.get("/api/v1/volunteer-shifts/:shiftId/roster", async (request, response) => {
    const roster = await callRpc(call, request, activities.getShiftRoster.bind(activities), {
      shiftId: pathParam(request, "shiftId"),
    });
    response.json(roster);
  });

  router.post(
    `${signUpPath}/hours`,
    validatedRoute("body", recordHoursBody, async (body, request, response) => {
      const { hours } = await callRpc(call, request, activities.recordServiceHours.bind(activities), {
        ...signUpKey(request),
        ...body,
      });
      response.status(201).json(hours);
    }),
  );
  router.get(`${signUpPath}/hours`, async (request, response) => {
    const { hours } = await callRpc(
      call,
      request,
      activities.getServiceHours.bind(activities),
      signUpKey(request),
    );
    response.json(hours);
  });
  router.post(
    `${signUpPath}/hours/approval`,
    validatedRoute("body", emptyBody, async (_body, request, response) => {
      const { hours } = await callRpc(
        call,
        request,
        activities.approveServiceHours.bind(activities),
        signUpKey(request),
      );
      response.json(hours);
    }),
  );
  router.post(
    `${signUpPath}/hours/decline`,
    validatedRoute("body", declineBody, async (body, request, response) => {
      const { hours } = await callRpc(call, request, activities.declineServiceHours.bind(activities), {
        ...signUpKey(request),
        ...body,
      });
      response.json(hours);
    }),
  );
  router.post(
    `${signUpPath}/hours/correction`,
    validatedRoute("body", correctionBody, async (body, request, response) => {
      const { hours } = await callRpc(call, request, activities.correctServiceHours.bind(activities), {
        ...signUpKey(request),
        ...body,
      });
      response.json(hours);
    }),
  );
  router.get(
    "/api/v1/volunteers/:volunteerId/service-certificate",
    validatedRoute("query", periodQuery, async (query, request, response) => {
      const { certificate } = await callRpc(
        call,
        request,
        volunteers.getServiceCertificate.bind(volunteers),
        { volunteerId: pathParam(request, "volunteerId"), ...query },
      );
      response.json(certificate);
    }),
  );
  return router;
}
