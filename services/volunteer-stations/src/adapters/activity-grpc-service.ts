import { volunteerStationsV1 as v1 } from "@civic/contracts";
import { InvalidArgumentError } from "@civic/domain-kit";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
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
  const activityReply = replyWith("activity", toProtoActivity);
  const activitiesPage = pageWith("activities", toProtoActivity);
  const signUpReply = replyWith("signUp", toProtoSignUp);
  const hoursReply = replyWith("hours", toProtoHours);
  return unaryService(v1.ActivityServiceService, {
    publishActivity: (request, { caller }) =>
      activityReply(
        board.publish({ ...request, ...(request.requestId ? { requestId: request.requestId } : {}) }, caller),
      ),
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
    getActivity: (request) => activityReply(board.get(request.activityId)),
    listActivities: (request) => activitiesPage(board.list(request.areaId, request)),
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
    signUpForShift: (request, { caller }) =>
      signUpReply(signUps.signUp(request.shiftId, request.volunteerId, caller)),
    cancelSignUp: (request, { caller }) =>
      signUpReply(signUps.cancel(request.shiftId, request.volunteerId, caller)),
    getSignUp: (request, { caller }) =>
      signUpReply(signUps.get(request.shiftId, request.volunteerId, caller)),
    checkIn: (request, { caller }) =>
      signUpReply(signUps.checkIn(request.shiftId, request.volunteerId, request.code, caller)),
    checkOut: (request, { caller }) =>
      signUpReply(signUps.checkOut(request.shiftId, request.volunteerId, request.code, caller)),
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
    recordServiceHours: (request, { caller }) =>
      hoursReply(hours.record(request.shiftId, request.volunteerId, request.minutes, request.note, caller)),
    getServiceHours: (request, { caller }) =>
      hoursReply(hours.get(request.shiftId, request.volunteerId, caller)),
    approveServiceHours: (request, { caller }) =>
      hoursReply(hours.approve(request.shiftId, request.volunteerId, caller)),
    declineServiceHours: (request, { caller }) =>
      hoursReply(hours.decline(request.shiftId, request.volunteerId, request.reason, caller)),
    correctServiceHours: (request, { caller }) =>
      hoursReply(
        hours.correct(request.shiftId, request.volunteerId, request.minutes, request.reason, caller),
      ),
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
