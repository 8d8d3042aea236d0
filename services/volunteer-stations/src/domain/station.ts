import { AlreadyExistsError, type Caller, NotFoundError } from "@civic/domain-kit";
import { requireManagesArea } from "./authority.js";
import { StationFieldChecks } from "./field-checks.js";

/** The seeds' kinds: 蓝天小屋, 新市民（外来务工青年）之家, 青年驿站, 志愿服务点. */
export const stationKinds = ["blue_sky_hut", "migrant_youth_home", "youth_station", "service_point"] as const;
export type StationKind = (typeof stationKinds)[number];

export interface RegisteredStation {
  status: "registered";
  stationId: string;
  kind: StationKind;
  name: string;
  areaId: string;
  address: string;
  managerIds: string[];
  registeredAt: string;
}

export type StationState = { status: "none" } | RegisteredStation;

export type StationEvent =
  | {
      type: "station.registered";
      data: Omit<RegisteredStation, "status" | "registeredAt"> & { by: string; at: string };
    }
  | { type: "station.manager_assigned"; data: { managerId: string; by: string; at: string } };

export interface RegisterStation {
  stationId: string;
  kind: string;
  name: string;
  areaId: string;
  address: string;
  managerIds: string[];
}

export const initialStationState = (): StationState => ({ status: "none" });

export function evolveStation(state: StationState, event: StationEvent): StationState {
  switch (event.type) {
    case "station.registered": {
      const { by: _by, at, ...station } = event.data;
      return { status: "registered", ...station, registeredAt: at };
    }
    case "station.manager_assigned":
      if (state.status === "none") return state;
      return { ...state, managerIds: [...state.managerIds, event.data.managerId] };
  }
}

export function decideRegisterStation(
  command: RegisterStation,
  state: StationState,
  caller: Caller,
  now: Date,
): StationEvent {
  const checks = new StationFieldChecks()
    .code("stationId", command.stationId)
    .oneOf("kind", command.kind, stationKinds)
    .text("name", command.name, { max: 100 })
    .areaCode("areaId", command.areaId)
    .text("address", command.address, { max: 200, optional: true })
    .check("managerIds", command.managerIds.length <= 20, "must name at most 20 managers");
  command.managerIds.forEach((id, index) => {
    checks.personId(`managerIds[${index}]`, id);
  });
  checks.throwIfAny();
  requireManagesArea(caller, command.areaId, "registering a station");
  if (state.status !== "none") throw new AlreadyExistsError(`station ${command.stationId} already exists`);
  return {
    type: "station.registered",
    data: {
      stationId: command.stationId,
      kind: command.kind as StationKind,
      name: command.name.trim(),
      areaId: command.areaId,
      address: command.address.trim(),
      managerIds: [...new Set(command.managerIds)],
      by: caller.subject,
      at: now.toISOString(),
    },
  };
}

/** Undefined when the person already manages the station: nothing to record. */
export function decideAssignStationManager(
  managerId: string,
  state: StationState,
  stationId: string,
  caller: Caller,
  now: Date,
): StationEvent | undefined {
  new StationFieldChecks().personId("managerId", managerId).throwIfAny();
  if (state.status === "none") throw new NotFoundError("station", stationId);
  requireManagesArea(caller, state.areaId, "assigning a station manager");
  if (state.managerIds.includes(managerId)) return undefined;
  return { type: "station.manager_assigned", data: { managerId, by: caller.subject, at: now.toISOString() } };
}
