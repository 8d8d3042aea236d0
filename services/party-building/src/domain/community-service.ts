/**
 * Points an in-service member earns per kind of service done in the community where they
 * live (在职党员到社区报到, "积分制管理"). Configuration: COMMUNITY_SERVICE_POINTS replaces
 * this table as a whole.
 */
export const defaultCommunityServicePoints: Readonly<Record<string, number>> = {
  volunteering: 2,
  neighbourhood_patrol: 2,
  policy_publicity: 1,
  dispute_mediation: 3,
  care_visit: 2,
  environment_cleanup: 1,
  micro_wish: 2,
};
