import type { volunteerStationsV1 as v1 } from "@civic/contracts";
import { unaryHandler } from "@civic/service-kit";
import type { StationDesk, StationView, TeamView } from "../app/station-desk.js";

const method = (name: string) => `civic.volunteer_stations.v1.StationService/${name}`;

/** gRPC face of stations and teams. */
export function stationGrpcService(directory: StationDesk): v1.StationServiceServer {
  return {
    registerStation: unaryHandler(
      method("RegisterStation"),
      async (request: v1.RegisterStationRequest, { caller }) => ({
        station: toProtoStation(await directory.registerStation(request, caller)),
      }),
    ),
    assignStationManager: unaryHandler(
      method("AssignStationManager"),
      async (request: v1.AssignStationManagerRequest, { caller }) => ({
        station: toProtoStation(
          await directory.assignStationManager(request.stationId, request.managerId, caller),
        ),
      }),
    ),
    getStation: unaryHandler(method("GetStation"), async (request: v1.GetStationRequest) => ({
      station: toProtoStation(await directory.getStation(request.stationId)),
    })),
    listStations: unaryHandler(
      method("ListStations"),
      async (request: v1.ListStationsRequest, { caller }) => {
        const page = await directory.listStations(request.areaId, request, caller);
        return { stations: page.stations.map(toProtoStation), nextPageToken: page.nextPageToken };
      },
    ),
    formTeam: unaryHandler(method("FormTeam"), async (request: v1.FormTeamRequest, { caller }) => ({
      team: toProtoTeam(await directory.formTeam(request, caller)),
    })),
    addTeamMember: unaryHandler(
      method("AddTeamMember"),
      async (request: v1.AddTeamMemberRequest, { caller }) => ({
        team: toProtoTeam(await directory.addTeamMember(request.teamId, request.memberId, caller)),
      }),
    ),
    getTeam: unaryHandler(method("GetTeam"), async (request: v1.GetTeamRequest) => ({
      team: toProtoTeam(await directory.getTeam(request.teamId)),
    })),
    listTeams: unaryHandler(method("ListTeams"), async (request: v1.ListTeamsRequest, { caller }) => {
      const page = await directory.listTeams(request.areaId, request, caller);
      return { teams: page.teams.map(toProtoTeam), nextPageToken: page.nextPageToken };
    }),
  };
}

function toProtoStation({ status: _status, registeredAt, ...station }: StationView): v1.Station {
  return { ...station, registeredAt: new Date(registeredAt) };
}

function toProtoTeam({ status: _status, formedAt, ...team }: TeamView): v1.Team {
  return { ...team, formedAt: new Date(formedAt) };
}
