import { constituteCouncil } from "./councils.js";
import type { httpClient } from "./http-client.js";
import { bearer } from "./tokens.js";

type Api = ReturnType<typeof httpClient>;

/**
 * A three-member compound council of `areaId` that adopts a motion by e-vote (two of three
 * vote yes); the vote's id, no resolution recorded yet.
 */
export async function adoptedVote(api: Api, staff: string, areaId: string, title: string): Promise<string> {
  const councilId = await constituteCouncil(
    api,
    staff,
    { kind: "compound_co_building_council", areaId, name: "共建议事会", seatCount: 3 },
    ["m1", "m2", "m3"].map((member) => ({ memberId: member, name: member, role: "member" })),
  );
  const vote = await api.post(
    `/api/v1/councils/${councilId}/votes`,
    {
      title,
      method: "e_vote",
      rule: "simple_majority",
      closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
    staff,
  );
  for (const member of ["m1", "m2"]) {
    await api.post(
      `/api/v1/votes/${vote.body.voteId}/ballots`,
      { choices: ["yes"] },
      bearer(member, { roles: ["resident"] }),
    );
  }
  const closed = await api.post(`/api/v1/votes/${vote.body.voteId}/close`, {}, staff);
  if (closed.body?.result?.adopted !== true)
    throw new Error(`the vote was not adopted: ${JSON.stringify(closed.body)}`);
  return vote.body.voteId as string;
}

/** An adopted vote recorded as a resolution (its id is the vote's). */
export async function adoptedResolution(
  api: Api,
  staff: string,
  areaId: string,
  title: string,
): Promise<string> {
  const voteId = await adoptedVote(api, staff, areaId, title);
  const recorded = await api.post(
    `/api/v1/votes/${voteId}/resolution`,
    { title, text: `${title}：表决通过`, reviewDate: "2099-12-31" },
    staff,
  );
  if (recorded.status !== 201)
    throw new Error(`the resolution was not recorded: ${JSON.stringify(recorded.body)}`);
  return voteId;
}
