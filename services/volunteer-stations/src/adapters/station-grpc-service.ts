import { volunteerStationsV1 as v1 } from "@civic/contracts";
import { type GrpcServiceRegistration, unaryService } from "@civic/service-kit";
import type { StationDesk, StationView, TeamView } from "../app/station-desk.js";

/** gRPC face of stations and teams. */
export function stationGrpcService(directory: StationDesk): GrpcServiceRegistration {
  return unaryService(v1.StationServiceService, {
    registerStation: async (request, { caller }) => ({
      station: toProtoStation(await directory.registerStation(request, caller)),
    }),
    assignStationManager: async (request, { caller }) => ({
      station: toProtoStation(
        await directory.assignStationManager(request.stationId, request.managerId, caller),
      ),
    }),
    getStation: async (request) => ({
      station: toProtoStation(await directory.getStation(request.stationId)),
    }),
    listStations: async (request, { caller }) => {
      const page = await directory.listStations(request.areaId, request, caller);
      return { stations: page.stations.map(toProtoStation), nextPageToken: page.nextPageToken };
    },
    formTeam: async (request, { caller }) => ({
      team: toProtoTeam(await directory.formTeam(request, caller)),
    }),
    addTeamMember: async (request, { caller }) => ({
      team: toProtoTeam(await directory.addTeamMember(request.teamId, request.memberId, caller)),
    }),
    getTeam: async (request) => ({
      team: toProtoTeam(await directory.getTeam(request.teamId)),
    }),
    listTeams: async (request, { caller }) => {
      const page = await directory.listTeams(request.areaId, request, caller);
      return { teams: page.teams.map(toProtoTeam), nextPageToken: page.nextPageToken };
    },
  });
}

function toProtoStation({ status: _status, registeredAt, ...station }: StationView): v1.Station {
  return { ...station, registeredAt: new Date(registeredAt) };
}

function toProtoTeam({ status: _status, formedAt, ...team }: TeamView): v1.Team {
  return { ...team, formedAt: new Date(formedAt) };
}
