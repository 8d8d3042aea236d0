import { volunteerStationsV1 as v1 } from "@civic/contracts";
import { type GrpcServiceRegistration, pageWith, replyWith, unaryService } from "@civic/service-kit";
import type { StationDesk, StationView, TeamView } from "../app/station-desk.js";

/** gRPC face of stations and teams. */
export function stationGrpcService(directory: StationDesk): GrpcServiceRegistration {
  const stationReply = replyWith("station", toProtoStation);
  const stationsPage = pageWith("stations", toProtoStation);
  const teamReply = replyWith("team", toProtoTeam);
  const teamsPage = pageWith("teams", toProtoTeam);
  return unaryService(v1.StationServiceService, {
    registerStation: (request, { caller }) => stationReply(directory.registerStation(request, caller)),
    assignStationManager: (request, { caller }) =>
      stationReply(directory.assignStationManager(request.stationId, request.managerId, caller)),
    getStation: (request) => stationReply(directory.getStation(request.stationId)),
    listStations: (request, { caller }) =>
      stationsPage(directory.listStations(request.areaId, request, caller)),
    formTeam: (request, { caller }) => teamReply(directory.formTeam(request, caller)),
    addTeamMember: (request, { caller }) =>
      teamReply(directory.addTeamMember(request.teamId, request.memberId, caller)),
    getTeam: (request) => teamReply(directory.getTeam(request.teamId)),
    listTeams: (request, { caller }) => teamsPage(directory.listTeams(request.areaId, request, caller)),
  });
}

function toProtoStation({ status: _status, registeredAt, ...station }: StationView): v1.Station {
  return { ...station, registeredAt: new Date(registeredAt) };
}

function toProtoTeam({ status: _status, formedAt, ...team }: TeamView): v1.Team {
  return { ...team, formedAt: new Date(formedAt) };
}
