import type { GatewayClient } from "./gateway-client.js";

/** One step of loading the demo city: its items, loaded in order, with a progress bar. */
export interface Phase<Item> {
  name: string;
  items: Item[];
  /** Whether an earlier run finished the phase: its last item is there as this run would leave it. */
  finished(client: GatewayClient, last: Item): Promise<boolean>;
  load(client: GatewayClient, item: Item): Promise<void>;
}
