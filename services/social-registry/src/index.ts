export { type SocialRegistryConfig, socialRegistryConfigSchema } from "./config.js";
export {
  creditCodeProblem,
  organisationCodeCheckCharacter,
  withCreditCodeCheck,
} from "./domain/credit-code.js";
export { type RunningSocialRegistry, startSocialRegistry } from "./service.js";
