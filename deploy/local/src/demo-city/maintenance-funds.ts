import type { GatewayClient } from "./gateway-client.js";
import type { Phase } from "./phase.js";
import { between, seededRandom } from "./random.js";

/**
 * Residential special maintenance funds (住宅专项维修资金): a compound's fund with the first
 * deposits of one building's households, each by its floor area.
 */
export interface DemoMaintenanceFund {
  compoundId: string;
  deposits: { householdId: string; floorAreaCentiM2: number; amountFen: number }[];
}

/** A first deposit per m² of floor area (a demo figure): 120 yuan, so fen = centi-m² × 120. */
export const depositFenPerCentiM2 = 120;

/**
 * One fund per compound given: building 1's households, six floors of four flats ("1-101" to
 * "1-604"), of 60 to 140 m².
 */
export function demoMaintenancePlan(compoundIds: string[]): DemoMaintenanceFund[] {
  const random = seededRandom(278);
  return compoundIds.map((compoundId) => ({
    compoundId,
    deposits: Array.from({ length: 24 }, (_, index) => {
      const floorAreaCentiM2 = between(random, 60, 140) * 100 + between(random, 0, 99);
      return {
        householdId: `1-${Math.floor(index / 4) + 1}0${(index % 4) + 1}`,
        floorAreaCentiM2,
        amountFen: floorAreaCentiM2 * depositFenPerCentiM2,
      };
    }),
  }));
}

/**
 * Opens each compound's fund and records each household's first deposit, as the compound's
 * organiser. A household whose statement exists has deposited and is left alone.
 */
export function maintenanceFundsPhase(
  funds: DemoMaintenanceFund[],
  organiser: GatewayClient,
): Phase<DemoMaintenanceFund> {
  const fundPath = (fund: DemoMaintenanceFund) => `/api/v1/maintenance-funds/${fund.compoundId}`;
  return {
    name: "maintenance funds",
    items: funds,
    finished: async (_, last) => {
      const fund = await organiser.get<{ householdCount: number }>(fundPath(last));
      return (fund?.householdCount ?? 0) >= last.deposits.length;
    },
    load: async (_, fund) => {
      await organiser.post(
        "/api/v1/maintenance-funds",
        { areaId: fund.compoundId },
        `demo-maintenance-fund-${fund.compoundId}`,
      );
      for (const deposit of fund.deposits) {
        const statement = `${fundPath(fund)}/households/${deposit.householdId}`;
        const deposited = async () => (await organiser.get(statement)) !== undefined;
        if (await deposited()) continue;
        // A household's first deposit is the one that opens its statement: after a timeout the
        // statement tells whether it happened, so it is never made twice.
        await organiser.postUntilDone(
          `${fundPath(fund)}/deposits`,
          { ...deposit, note: "首期交存" },
          `demo-maintenance-deposit-${fund.compoundId}-${deposit.householdId}`,
          deposited,
        );
      }
    },
  };
}
