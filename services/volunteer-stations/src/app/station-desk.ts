import { AreaCode, type Caller, NotFoundError } from "@civic/domain-kit";
import { type AggregateRepository, type PageRequest, pageOfSnapshots } from "@civic/event-log";
import { requireMayList } from "../domain/authority.js";
import {
  decideAssignStationManager,
  decideRegisterStation,
  type RegisteredStation,
  type RegisterStation,
  type StationEvent,
  type StationState,
} from "../domain/station.js";
import {
  decideAddTeamMember,
  decideFormTeam,
  type FormedTeam,
  type FormTeam,
  type TeamEvent,
  type TeamState,
} from "../domain/team.js";

export type StationView = RegisteredStation & { version: number };
export type TeamView = FormedTeam & { version: number };

/** Use cases of stations and teams. */
export class StationDesk {
  constructor(
    private readonly stations: AggregateRepository<StationState, StationEvent>,
    private readonly teams: AggregateRepository<TeamState, TeamEvent>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async registerStation(command: RegisterStation, caller: Caller): Promise<StationView> {
    const { state, version } = await this.stations.create(command.stationId, (initial) =>
      decideRegisterStation(command, initial, caller, this.now()),
    );
    return stationView(state, version, command.stationId);
  }

  async assignStationManager(stationId: string, managerId: string, caller: Caller): Promise<StationView> {
    const { state, version } = await this.stations.execute(stationId, (current) =>
      decideAssignStationManager(managerId, current, stationId, caller, this.now()),
    );
    return stationView(state, version, stationId);
  }

  async getStation(stationId: string): Promise<StationView> {
    const { state, version } = await this.stations.load(stationId);
    return stationView(state, version, stationId);
  }

  async listStations(areaPrefix: string, page: PageRequest, caller: Caller) {
    requireMayList(caller, areaPrefix);
    const filter = AreaCode.range("state.areaId", areaPrefix);
    const found = await pageOfSnapshots(this.stations.snapshots, filter, page);
    return {
      stations: found.items.map((snapshot) => stationView(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }

  async formTeam(command: FormTeam, caller: Caller): Promise<TeamView> {
    const station =
      command.stationId === "" ? undefined : (await this.stations.load(command.stationId)).state;
    const { state, version } = await this.teams.create(command.teamId, (initial) =>
      decideFormTeam(
        command,
        initial,
        station?.status === "registered" ? station : undefined,
        caller,
        this.now(),
      ),
    );
    return teamView(state, version, command.teamId);
  }

  async addTeamMember(teamId: string, memberId: string, caller: Caller): Promise<TeamView> {
    const { state, version } = await this.teams.execute(teamId, (current) =>
      decideAddTeamMember(memberId, current, teamId, caller, this.now()),
    );
    return teamView(state, version, teamId);
  }

  async getTeam(teamId: string): Promise<TeamView> {
    const { state, version } = await this.teams.load(teamId);
    return teamView(state, version, teamId);
  }

  async listTeams(areaPrefix: string, page: PageRequest, caller: Caller) {
    requireMayList(caller, areaPrefix);
    const filter = AreaCode.range("state.areaId", areaPrefix);
    const found = await pageOfSnapshots(this.teams.snapshots, filter, page);
    return {
      teams: found.items.map((snapshot) => teamView(snapshot.state, snapshot.version, snapshot._id)),
      nextPageToken: found.nextPageToken,
    };
  }
}

function stationView(state: StationState, version: number, stationId: string): StationView {
  if (state.status === "none") throw new NotFoundError("station", stationId);
  return { ...state, version };
}

function teamView(state: TeamState, version: number, teamId: string): TeamView {
  if (state.status === "none") throw new NotFoundError("team", teamId);
  return { ...state, version };
}
