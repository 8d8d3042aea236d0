export { type VolunteerStationsConfig, volunteerStationsConfigSchema } from "./config.js";
export {
  type RunningVolunteerStations,
  startVolunteerStations,
  type VolunteerStationsOptions,
} from "./service.js";
