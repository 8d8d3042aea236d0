import type { volunteerStationsV1 as v1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { ServiceCertificate, ServiceHoursDesk } from "../app/service-hours-desk.js";
import type { VolunteerDesk, VolunteerView } from "../app/volunteer-desk.js";

const method = (name: string) => `civic.volunteer_stations.v1.VolunteerService/${name}`;

/** gRPC face of volunteers' profiles and verification. */
export function volunteerGrpcService(
  registry: VolunteerDesk,
  hours: ServiceHoursDesk,
): v1.VolunteerServiceServer {
  return {
    registerVolunteer: unaryHandler(
      method("RegisterVolunteer"),
      async (request: v1.RegisterVolunteerRequest, { caller }) => ({
        volunteer: toProtoVolunteer(await registry.register(request, caller)),
      }),
    ),
    updateVolunteerProfile: unaryHandler(
      method("UpdateVolunteerProfile"),
      async (request: v1.UpdateVolunteerProfileRequest, { caller }) => ({
        volunteer: toProtoVolunteer(await registry.updateProfile(request.volunteerId, request, caller)),
      }),
    ),
    verifyVolunteer: unaryHandler(
      method("VerifyVolunteer"),
      async (request: v1.VerifyVolunteerRequest, { caller }) => ({
        volunteer: toProtoVolunteer(await registry.verify(request.volunteerId, caller)),
      }),
    ),
    getVolunteer: unaryHandler(
      method("GetVolunteer"),
      async (request: v1.GetVolunteerRequest, { caller }) => ({
        volunteer: toProtoVolunteer(await registry.get(request.volunteerId, caller)),
      }),
    ),
    listVolunteers: unaryHandler(
      method("ListVolunteers"),
      async (request: v1.ListVolunteersRequest, { caller }) => {
        const page = await registry.list(request.areaId, request, caller);
        return { volunteers: page.volunteers.map(toProtoVolunteer), nextPageToken: page.nextPageToken };
      },
    ),
    getServiceCertificate: unaryHandler(
      method("GetServiceCertificate"),
      async (request: v1.GetServiceCertificateRequest, { caller }) => ({
        certificate: toProtoCertificate(
          await hours.certificate(request.volunteerId, request.from, request.to, caller),
        ),
      }),
    ),
  };
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
