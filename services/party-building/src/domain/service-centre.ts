import { AlreadyExistsError, AreaCode, FieldChecks } from "@civic/domain-kit";
import { catalogueByCode } from "./service-catalogue.js";

/**
 * A party-mass service centre (党群服务中心) at one of four levels, with the services it
 * offers from the catalogue and its opening hours. Bookable services have units (rooms,
 * chairs, repair teams) booked by slots of `slotMinutes`. One stream per centre
 * (`centre-<centreId>`).
 */
export const centreLevels = ["city", "town", "village", "group"] as const;
export type CentreLevel = (typeof centreLevels)[number];

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

/** Slot lengths a bookable service may use. */
export const slotLengths = [15, 30, 60, 120] as const;

export interface OfferedService {
  code: string;
  /** How many of it can be booked at once (rooms, chairs); 0 for walk-in services. */
  units: number;
  /** 0 for walk-in services. */
  slotMinutes: number;
}

/** Local (China Standard Time) opening hours of one weekday, "HH:MM". */
export interface OpeningHours {
  weekday: Weekday;
  opens: string;
  closes: string;
}

export interface CentreOffer {
  services: OfferedService[];
  openingHours: OpeningHours[];
}

export interface RegisterCentre extends CentreOffer {
  centreId: string;
  level: string;
  name: string;
  areaId: string;
  address: string;
  /** Floor area of the service space, in m². */
  floorAreaM2: number;
  /** Households the centre serves (the space standard counts per 100 households). */
  households: number;
}

/**
 * Seed 004's community standard: at least 5 basic and 3 extended service types, and at
 * least 32 m² of service space per 100 households. It applies to village-level (村/社区)
 * centres; `gaps` names what such a centre lacks.
 */
export interface CentreStandard {
  applies: boolean;
  basicServices: number;
  extendedServices: number;
  spacePer100Households: number;
  gaps: ("basic_services" | "extended_services" | "service_space")[];
}

export const communityStandard = { basicServices: 5, extendedServices: 3, spacePer100Households: 32 };

export interface ServiceCentre extends CentreOffer {
  status: "registered";
  centreId: string;
  level: CentreLevel;
  name: string;
  areaId: string;
  address: string;
  floorAreaM2: number;
  households: number;
  standard: CentreStandard;
  registeredBy: string;
  registeredAt: string;
  updatedAt: string;
}

export type CentreState = { status: "none" } | ServiceCentre;

export type CentreEvent =
  | {
      type: "centre.registered";
      data: Omit<RegisterCentre, "level"> & { level: CentreLevel; by: string; at: string };
    }
  | { type: "centre.offer_updated"; data: CentreOffer & { by: string; at: string } };

export const initialCentreState = (): CentreState => ({ status: "none" });

export function evolveCentre(state: CentreState, event: CentreEvent): CentreState {
  switch (event.type) {
    case "centre.registered": {
      const { by, at, ...centre } = event.data;
      return {
        status: "registered",
        ...centre,
        standard: standardOf(centre),
        registeredBy: by,
        registeredAt: at,
        updatedAt: at,
      };
    }
    case "centre.offer_updated": {
      if (state.status === "none") return state;
      const offer = { services: event.data.services, openingHours: event.data.openingHours };
      return { ...state, ...offer, standard: standardOf({ ...state, ...offer }), updatedAt: event.data.at };
    }
  }
}

export function standardOf(centre: {
  level: CentreLevel;
  services: OfferedService[];
  floorAreaM2: number;
  households: number;
}): CentreStandard {
  const tierCount = (tier: "basic" | "extended") =>
    centre.services.filter((service) => catalogueByCode.get(service.code)?.tier === tier).length;
  const basicServices = tierCount("basic");
  const extendedServices = tierCount("extended");
  const spacePer100Households =
    centre.households === 0 ? 0 : Math.round((centre.floorAreaM2 / centre.households) * 100 * 10) / 10;
  const applies = centre.level === "village";
  const gaps: CentreStandard["gaps"] = [];
  if (applies) {
    if (basicServices < communityStandard.basicServices) gaps.push("basic_services");
    if (extendedServices < communityStandard.extendedServices) gaps.push("extended_services");
    // Compared exactly (m² × 100 against 32 × households), not on the rounded figure.
    if (centre.floorAreaM2 * 100 < communityStandard.spacePer100Households * centre.households)
      gaps.push("service_space");
  }
  return { applies, basicServices, extendedServices, spacePer100Households, gaps };
}

const clockTime = /^([01]\d|2[0-3]):[0-5]\d$/;

export const minutesOfDay = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Adds the offer's violations to `checks`. */
function checkOffer(offer: CentreOffer, checks: FieldChecks): FieldChecks {
  checks.check(
    "services",
    offer.services.length > 0 && offer.services.length <= catalogueByCode.size,
    "must name 1 or more services of the catalogue",
  );
  const seen = new Set<string>();
  offer.services.forEach((service, index) => {
    const field = `services[${index}]`;
    const listed = catalogueByCode.get(service.code);
    if (!listed) {
      checks.add(`${field}.code`, "is not in the service catalogue");
      return;
    }
    checks.check(`${field}.code`, !seen.has(service.code), "is offered twice");
    seen.add(service.code);
    if (listed.bookable) {
      checks
        .check(
          `${field}.units`,
          Number.isInteger(service.units) && service.units >= 1 && service.units <= 50,
          "a bookable service has 1 to 50 units",
        )
        .check(
          `${field}.slotMinutes`,
          (slotLengths as readonly number[]).includes(service.slotMinutes),
          `must be one of ${slotLengths.join(", ")}`,
        );
    } else {
      checks.check(
        field,
        service.units === 0 && service.slotMinutes === 0,
        "a walk-in service has no units or slots (0)",
      );
    }
  });
  const days = new Set<string>();
  offer.openingHours.forEach((hours, index) => {
    const field = `openingHours[${index}]`;
    if (!(weekdays as readonly string[]).includes(hours.weekday))
      checks.add(`${field}.weekday`, `must be one of ${weekdays.join(", ")}`);
    else if (days.has(hours.weekday)) checks.add(`${field}.weekday`, "has opening hours twice");
    days.add(hours.weekday);
    checks.check(`${field}.opens`, clockTime.test(hours.opens), "must be HH:MM");
    if (!clockTime.test(hours.closes)) checks.add(`${field}.closes`, "must be HH:MM");
    else if (clockTime.test(hours.opens) && minutesOfDay(hours.closes) <= minutesOfDay(hours.opens))
      checks.add(`${field}.closes`, "must be after opens");
  });
  return checks;
}

export function validateCentre(command: RegisterCentre): void {
  const checks = new FieldChecks()
    .identifier("centreId", command.centreId)
    .oneOf("level", command.level, centreLevels)
    .text("name", command.name, { max: 100 })
    .check(
      "areaId",
      AreaCode.is(command.areaId, "district", "street", "community", "grid"),
      "must be a district, street, community or grid code",
    )
    .check("address", [...command.address].length <= 200, "must be at most 200 characters")
    .check(
      "floorAreaM2",
      Number.isInteger(command.floorAreaM2) && command.floorAreaM2 >= 1 && command.floorAreaM2 <= 100_000,
      "must be a whole number of m², 1 to 100,000",
    )
    .check(
      "households",
      Number.isInteger(command.households) && command.households >= 0 && command.households <= 1_000_000,
      "must be 0 to 1,000,000",
    );
  checkOffer(command, checks).throwIfAny();
}

export function validateOffer(offer: CentreOffer): void {
  checkOffer(offer, new FieldChecks()).throwIfAny();
}

export function decideRegisterCentre(
  command: RegisterCentre,
  state: CentreState,
  by: string,
  now: Date,
): CentreEvent {
  if (state.status !== "none")
    throw new AlreadyExistsError(`service centre ${command.centreId} is already registered`);
  return {
    type: "centre.registered",
    data: {
      ...command,
      name: command.name.trim(),
      level: command.level as CentreLevel,
      by,
      at: now.toISOString(),
    },
  };
}

export function decideUpdateOffer(offer: CentreOffer, by: string, now: Date): CentreEvent {
  return {
    type: "centre.offer_updated",
    data: { services: offer.services, openingHours: offer.openingHours, by, at: now.toISOString() },
  };
}
