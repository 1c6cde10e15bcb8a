import { Link } from "@remix-run/react";
import { formatDayRange } from "~/i18n/format";
import { visits as t } from "~/i18n/visits";
import type { MeetingKind, MeetingStatus } from "../../db/schema";

export function StatusBadge({ status }: { status: MeetingStatus }) {
  return <span className={`badge ${status}`}>{t.statuses[status]}</span>;
}

/** One meeting in a compact list: dates, kind, title, place and status. */
type MeetingSummary = { id: string; kind: MeetingKind; title: string; starts_on: string; ends_on: string | null; place: string; status: MeetingStatus };

export function MeetingLine({ studyId, meeting }: { studyId: string; meeting: MeetingSummary }) {
  return (
    <li className="meeting-line">
      <span className="meeting-date">{formatDayRange(meeting.starts_on, meeting.ends_on)}</span>
      <Link to={`/etudes/${studyId}/visites/${meeting.id}`} className="meeting-title">
        {meeting.title}
      </Link>
      <span className="muted">
        {t.kinds[meeting.kind]}
        {meeting.place ? ` · ${meeting.place}` : null}
      </span>
      <StatusBadge status={meeting.status} />
    </li>
  );
}

/** A compact list of meetings, or the sentence saying there are none. */
export function MeetingLines({ studyId, meetings, emptyText }: { studyId: string; meetings: readonly MeetingSummary[]; emptyText: string }) {
  if (meetings.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <ul className="meeting-lines">
      {meetings.map((m) => (
        <MeetingLine key={m.id} studyId={studyId} meeting={m} />
      ))}
    </ul>
  );
}
