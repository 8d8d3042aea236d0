import { volunteerStationsV1 as v1 } from "@civic/contracts";
import { InvalidArgumentError } from "@civic/domain-kit";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { ActivityDesk, ActivityView } from "../app/activity-desk.js";
import type { ActivityRequestDesk, ActivityRequestView } from "../app/activity-request-desk.js";
import type { ServiceHoursDesk, ServiceHoursView } from "../app/service-hours-desk.js";
import type { SignUpDesk, SignUpView } from "../app/sign-up-desk.js";
import type { Shift } from "../domain/activity.js";

const optionalDate = (iso: string) => (iso ? new Date(iso) : undefined);

/** gRPC face of activities, shifts and sign-ups. */
export function activityGrpcService(
  board: ActivityDesk,
  requests: ActivityRequestDesk,
  signUps: SignUpDesk,
  hours: ServiceHoursDesk,
): GrpcServiceRegistration {
  return unaryService(v1.ActivityServiceService, {
    publishActivity: async (request, { caller }) => ({
      activity: toProtoActivity(
        await board.publish(
          { ...request, ...(request.requestId ? { requestId: request.requestId } : {}) },
          caller,
        ),
      ),
    }),
    getRequestedActivity: async (request, { caller }) => ({
      requestedActivity: toProtoRequestedActivity(await requests.get(request.requestId, caller)),
    }),
    listRequestedActivities: async (request, { caller }) => {
      const page = await requests.list(request.areaId, request, caller);
      return {
        requestedActivities: page.requests.map(toProtoRequestedActivity),
        nextPageToken: page.nextPageToken,
      };
    },
    getActivity: async (request) => ({
      activity: toProtoActivity(await board.get(request.activityId)),
    }),
    listActivities: async (request) => {
      const page = await board.list(request.areaId, request);
      return { activities: page.activities.map(toProtoActivity), nextPageToken: page.nextPageToken };
    },
    closeActivity: async (request, { caller }) => {
      if (request.outcome !== "completed" && request.outcome !== "cancelled")
        throw new InvalidArgumentError([{ field: "outcome", description: "must be completed or cancelled" }]);
      return {
        activity: toProtoActivity(
          await board.close(request.activityId, request.outcome, request.note, caller),
        ),
      };
    },
    issueShiftCode: async (request, { caller }) => ({
      code: await board.issueShiftCode(request.shiftId, request.purpose, caller),
    }),
    signUpForShift: async (request, { caller }) => ({
      signUp: toProtoSignUp(await signUps.signUp(request.shiftId, request.volunteerId, caller)),
    }),
    cancelSignUp: async (request, { caller }) => ({
      signUp: toProtoSignUp(await signUps.cancel(request.shiftId, request.volunteerId, caller)),
    }),
    getSignUp: async (request, { caller }) => ({
      signUp: toProtoSignUp(await signUps.get(request.shiftId, request.volunteerId, caller)),
    }),
    checkIn: async (request, { caller }) => ({
      signUp: toProtoSignUp(
        await signUps.checkIn(request.shiftId, request.volunteerId, request.code, caller),
      ),
    }),
    checkOut: async (request, { caller }) => ({
      signUp: toProtoSignUp(
        await signUps.checkOut(request.shiftId, request.volunteerId, request.code, caller),
      ),
    }),
    markNoShows: async (request, { caller }) => ({
      marked: await signUps.markNoShows(request.shiftId, caller),
    }),
    getShiftRoster: async (request, { caller }) => {
      const roster = await signUps.roster(request.shiftId, caller);
      return {
        shift: toProtoShift(roster.shift),
        confirmed: roster.confirmed,
        waitlisted: roster.waitlisted,
        signUps: roster.signUps.map(toProtoSignUp),
      };
    },
    recordServiceHours: async (request, { caller }) => ({
      hours: toProtoHours(
        await hours.record(request.shiftId, request.volunteerId, request.minutes, request.note, caller),
      ),
    }),
    getServiceHours: async (request, { caller }) => ({
      hours: toProtoHours(await hours.get(request.shiftId, request.volunteerId, caller)),
    }),
    approveServiceHours: async (request, { caller }) => ({
      hours: toProtoHours(await hours.approve(request.shiftId, request.volunteerId, caller)),
    }),
    declineServiceHours: async (request, { caller }) => ({
      hours: toProtoHours(await hours.decline(request.shiftId, request.volunteerId, request.reason, caller)),
    }),
    correctServiceHours: async (request, { caller }) => ({
      hours: toProtoHours(
        await hours.correct(request.shiftId, request.volunteerId, request.minutes, request.reason, caller),
      ),
    }),
  });
}

function toProtoShift(shift: Shift): v1.Shift {
  return { ...shift, startsAt: new Date(shift.startsAt), endsAt: new Date(shift.endsAt) };
}

function toProtoActivity(view: ActivityView): v1.Activity {
  const { publishedAt, shifts, origin, ...activity } = view;
  return {
    ...activity,
    shifts: shifts.map(toProtoShift),
    ...(origin ? { origin } : {}),
    publishedAt: new Date(publishedAt),
  };
}

function toProtoRequestedActivity(view: ActivityRequestView): v1.RequestedActivity {
  const { status: _status, requestedAt, activityId, ...request } = view;
  return { ...request, requestedAt: new Date(requestedAt), activityId: activityId ?? "" };
}

function toProtoSignUp(view: SignUpView): v1.SignUp {
  return {
    ...view,
    waitlistedAt: optionalDate(view.waitlistedAt),
    checkedInAt: optionalDate(view.checkedInAt),
    checkedOutAt: optionalDate(view.checkedOutAt),
  };
}

function toProtoHours(view: ServiceHoursView): v1.ServiceHours {
  return {
    ...view,
    recordedAt: optionalDate(view.recordedAt),
    decidedAt: optionalDate(view.decidedAt),
    servedOn: optionalDate(view.servedOn),
  };
}
