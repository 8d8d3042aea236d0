import { volunteerStationsV1 as v1 } from "@civic/contracts";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
import type { ServiceCertificate, ServiceHoursDesk } from "../app/service-hours-desk.js";
import type { VolunteerDesk, VolunteerView } from "../app/volunteer-desk.js";

/** gRPC face of volunteers' profiles and verification. */
export function volunteerGrpcService(
  registry: VolunteerDesk,
  hours: ServiceHoursDesk,
): GrpcServiceRegistration {
  const volunteerReply = replyWith("volunteer", toProtoVolunteer);
  const volunteersPage = pageWith("volunteers", toProtoVolunteer);
  return unaryService(v1.VolunteerServiceService, {
    registerVolunteer: (request, { caller }) => volunteerReply(registry.register(request, caller)),
    updateVolunteerProfile: (request, { caller }) =>
      volunteerReply(registry.updateProfile(request.volunteerId, request, caller)),
    verifyVolunteer: (request, { caller }) => volunteerReply(registry.verify(request.volunteerId, caller)),
    getVolunteer: (request, { caller }) => volunteerReply(registry.get(request.volunteerId, caller)),
    listVolunteers: (request, { caller }) => volunteersPage(registry.list(request.areaId, request, caller)),
    getServiceCertificate: async (request, { caller }) => ({
      certificate: toProtoCertificate(
        await hours.certificate(request.volunteerId, request.from, request.to, caller),
      ),
    }),
  });
}

function toProtoVolunteer({ status: _status, registeredAt, ...volunteer }: VolunteerView): v1.Volunteer {
  return { ...volunteer, registeredAt: new Date(registeredAt) };
}

function toProtoCertificate(certificate: ServiceCertificate): v1.ServiceCertificate {
  const { volunteer, entries, ...rest } = certificate;
  return {
    ...volunteer,
    ...rest,
    entries: entries.map(({ _id, volunteerId: _volunteerId, ...entry }) => ({ entryId: _id, ...entry })),
  };
}
