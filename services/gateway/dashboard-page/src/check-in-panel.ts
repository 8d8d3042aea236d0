import type { ApiClient } from "./api.js";
import { areaNames } from "./area-names.js";
import { element, show, table } from "./dom.js";
import type { StreamEvent } from "./event-stream.js";
import { label } from "./labels.js";

export interface CheckInCounts {
  households: number;
  answered: number;
  safe: number;
  needHelp: number;
  unanswered: number;
}

export interface NoticeCheckIns {
  noticeId: string;
  title: string;
  communities: ({ communityId: string } & CheckInCounts)[];
  /** Not the API's: the names of the communities, by code. */
  communityNames: Map<string, string>;
}

/** A notice with the counts of the communities the caller follows. */
export async function loadNotice(api: ApiClient, noticeId: string): Promise<NoticeCheckIns> {
  const notice = await api.get<Omit<NoticeCheckIns, "communityNames">>(
    `/api/v1/emergency-notices/${encodeURIComponent(noticeId)}`,
  );
  const names = await areaNames(
    api,
    notice.communities.map((community) => community.communityId),
  );
  return { ...notice, communityNames: names };
}

/**
 * Applies a `grid-cases.emergency_notice.checked_in` event: it carries its community's counts
 * after the answer, so the panel follows them without asking the API again. Returns whether
 * it changed a notice the panel shows.
 */
export function applyCheckIn(notices: Map<string, NoticeCheckIns>, event: StreamEvent): boolean {
  const { noticeId, counts } = event.data as { noticeId?: string; counts?: CheckInCounts };
  const community = notices
    .get(noticeId ?? "")
    ?.communities.find((each) => each.communityId === event.areaId);
  if (!community || !counts) return false;
  Object.assign(community, counts);
  return true;
}

export function renderCheckIns(target: HTMLElement, notices: NoticeCheckIns[]): void {
  if (notices.length === 0) {
    show(target, element("p", { class: "note" }, label("noNotices")));
    return;
  }
  show(
    target,
    ...notices.map((notice) =>
      element(
        "section",
        { class: "notice", "data-notice": notice.noticeId },
        element("h3", {}, notice.title),
        table(
          (["community", "households", "safe", "needHelp", "unanswered"] as const).map((key) => label(key)),
          notice.communities.map((community) =>
            element(
              "tr",
              { "data-community": community.communityId },
              element(
                "td",
                { title: community.communityId },
                notice.communityNames.get(community.communityId) ?? community.communityId,
              ),
              element("td", {}, community.households),
              element("td", { "data-figure": "safe" }, community.safe),
              element("td", { "data-figure": "need-help" }, community.needHelp),
              element("td", { "data-figure": "unanswered" }, community.unanswered),
            ),
          ),
        ),
      ),
    ),
  );
}
