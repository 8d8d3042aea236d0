import { volunteerStationsV1 as v1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { ServiceCertificate, ServiceHoursDesk } from "../app/service-hours-desk.js";
import type { VolunteerDesk, VolunteerView } from "../app/volunteer-desk.js";

/** gRPC face of volunteers' profiles and verification. */
export function volunteerGrpcService(
  registry: VolunteerDesk,
  hours: ServiceHoursDesk,
): GrpcServiceRegistration {
  return unaryService(v1.VolunteerServiceService, {
    registerVolunteer: async (request, { caller }) => ({
      volunteer: toProtoVolunteer(await registry.register(request, caller)),
    }),
    updateVolunteerProfile: async (request, { caller }) => ({
      volunteer: toProtoVolunteer(await registry.updateProfile(request.volunteerId, request, caller)),
    }),
    verifyVolunteer: async (request, { caller }) => ({
      volunteer: toProtoVolunteer(await registry.verify(request.volunteerId, caller)),
    }),
    getVolunteer: async (request, { caller }) => ({
      volunteer: toProtoVolunteer(await registry.get(request.volunteerId, caller)),
    }),
    listVolunteers: async (request, { caller }) => {
      const page = await registry.list(request.areaId, request, caller);
      return { volunteers: page.volunteers.map(toProtoVolunteer), nextPageToken: page.nextPageToken };
    },
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
