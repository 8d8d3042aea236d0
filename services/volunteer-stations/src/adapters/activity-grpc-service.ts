import type { volunteerStationsV1 as v1 } from "@civic/contracts";
import { InvalidArgumentError } from "@civic/domain-kit";
import { unaryHandler } from "@civic/service-kit";
import type { ActivityDesk, ActivityView } from "../app/activity-desk.js";
import type { ActivityRequestDesk, ActivityRequestView } from "../app/activity-request-desk.js";
import type { ServiceHoursDesk, ServiceHoursView } from "../app/service-hours-desk.js";
import type { SignUpDesk, SignUpView } from "../app/sign-up-desk.js";
import type { Shift } from "../domain/activity.js";

const method = (name: string) => `civic.volunteer_stations.v1.ActivityService/${name}`;
const optionalDate = (iso: string) => (iso ? new Date(iso) : undefined);

/** gRPC face of activities, shifts and sign-ups. */
export function activityGrpcService(
  board: ActivityDesk,
  requests: ActivityRequestDesk,
  signUps: SignUpDesk,
  hours: ServiceHoursDesk,
): v1.ActivityServiceServer {
  return {
    publishActivity: unaryHandler(
      method("PublishActivity"),
      async (request: v1.PublishActivityRequest, { caller }) => ({
        activity: toProtoActivity(
          await board.publish(
            { ...request, ...(request.requestId ? { requestId: request.requestId } : {}) },
            caller,
          ),
        ),
      }),
    ),
    getRequestedActivity: unaryHandler(
      method("GetRequestedActivity"),
      async (request: v1.GetRequestedActivityRequest, { caller }) => ({
        requestedActivity: toProtoRequestedActivity(await requests.get(request.requestId, caller)),
      }),
    ),
    listRequestedActivities: unaryHandler(
      method("ListRequestedActivities"),
      async (request: v1.ListRequestedActivitiesRequest, { caller }) => {
        const page = await requests.list(request.areaId, request, caller);
        return {
          requestedActivities: page.requests.map(toProtoRequestedActivity),
          nextPageToken: page.nextPageToken,
        };
      },
    ),
    getActivity: unaryHandler(method("GetActivity"), async (request: v1.GetActivityRequest) => ({
      activity: toProtoActivity(await board.get(request.activityId)),
    })),
    listActivities: unaryHandler(method("ListActivities"), async (request: v1.ListActivitiesRequest) => {
      const page = await board.list(request.areaId, request);
      return { activities: page.activities.map(toProtoActivity), nextPageToken: page.nextPageToken };
    }),
    closeActivity: unaryHandler(
      method("CloseActivity"),
      async (request: v1.CloseActivityRequest, { caller }) => {
        if (request.outcome !== "completed" && request.outcome !== "cancelled")
          throw new InvalidArgumentError([
            { field: "outcome", description: "must be completed or cancelled" },
          ]);
        return {
          activity: toProtoActivity(
            await board.close(request.activityId, request.outcome, request.note, caller),
          ),
        };
      },
    ),
    issueShiftCode: unaryHandler(
      method("IssueShiftCode"),
      async (request: v1.IssueShiftCodeRequest, { caller }) => ({
        code: await board.issueShiftCode(request.shiftId, request.purpose, caller),
      }),
    ),
    signUpForShift: unaryHandler(
      method("SignUpForShift"),
      async (request: v1.SignUpForShiftRequest, { caller }) => ({
        signUp: toProtoSignUp(await signUps.signUp(request.shiftId, request.volunteerId, caller)),
      }),
    ),
    cancelSignUp: unaryHandler(
      method("CancelSignUp"),
      async (request: v1.CancelSignUpRequest, { caller }) => ({
        signUp: toProtoSignUp(await signUps.cancel(request.shiftId, request.volunteerId, caller)),
      }),
    ),
    getSignUp: unaryHandler(method("GetSignUp"), async (request: v1.GetSignUpRequest, { caller }) => ({
      signUp: toProtoSignUp(await signUps.get(request.shiftId, request.volunteerId, caller)),
    })),
    checkIn: unaryHandler(method("CheckIn"), async (request: v1.CheckInRequest, { caller }) => ({
      signUp: toProtoSignUp(
        await signUps.checkIn(request.shiftId, request.volunteerId, request.code, caller),
      ),
    })),
    checkOut: unaryHandler(method("CheckOut"), async (request: v1.CheckOutRequest, { caller }) => ({
      signUp: toProtoSignUp(
        await signUps.checkOut(request.shiftId, request.volunteerId, request.code, caller),
      ),
    })),
    markNoShows: unaryHandler(method("MarkNoShows"), async (request: v1.MarkNoShowsRequest, { caller }) => ({
      marked: await signUps.markNoShows(request.shiftId, caller),
    })),
    getShiftRoster: unaryHandler(
      method("GetShiftRoster"),
      async (request: v1.GetShiftRosterRequest, { caller }) => {
        const roster = await signUps.roster(request.shiftId, caller);
        return {
          shift: toProtoShift(roster.shift),
          confirmed: roster.confirmed,
          waitlisted: roster.waitlisted,
          signUps: roster.signUps.map(toProtoSignUp),
        };
      },
    ),
    recordServiceHours: unaryHandler(
      method("RecordServiceHours"),
      async (request: v1.RecordServiceHoursRequest, { caller }) => ({
        hours: toProtoHours(
          await hours.record(request.shiftId, request.volunteerId, request.minutes, request.note, caller),
        ),
      }),
    ),
    getServiceHours: unaryHandler(
      method("GetServiceHours"),
      async (request: v1.GetServiceHoursRequest, { caller }) => ({
        hours: toProtoHours(await hours.get(request.shiftId, request.volunteerId, caller)),
      }),
    ),
    approveServiceHours: unaryHandler(
      method("ApproveServiceHours"),
      async (request: v1.ApproveServiceHoursRequest, { caller }) => ({
        hours: toProtoHours(await hours.approve(request.shiftId, request.volunteerId, caller)),
      }),
    ),
    declineServiceHours: unaryHandler(
      method("DeclineServiceHours"),
      async (request: v1.DeclineServiceHoursRequest, { caller }) => ({
        hours: toProtoHours(
          await hours.decline(request.shiftId, request.volunteerId, request.reason, caller),
        ),
      }),
    ),
    correctServiceHours: unaryHandler(
      method("CorrectServiceHours"),
      async (request: v1.CorrectServiceHoursRequest, { caller }) => ({
        hours: toProtoHours(
          await hours.correct(request.shiftId, request.volunteerId, request.minutes, request.reason, caller),
        ),
      }),
    ),
  };
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
    shiftId: view.shiftId,
    volunteerId: view.volunteerId,
    activityId: view.activityId,
    status: view.status,
    seatNo: view.seatNo,
    waitlistedAt: optionalDate(view.waitlistedAt),
    checkedInAt: optionalDate(view.checkedInAt),
    checkedOutAt: optionalDate(view.checkedOutAt),
    servedMinutes: view.servedMinutes,
    autoCheckedOut: view.autoCheckedOut,
    version: view.version,
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
