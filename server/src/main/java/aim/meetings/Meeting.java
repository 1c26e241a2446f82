package aim.meetings;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A meeting of the AIM group as the API shows it ({@code GET /api/meetings/{id}}).
 *
 * @param previousMeeting the latest meeting held before this one (by date, then id), or null
 */
public record Meeting(long id, LocalDate heldOn, String title, List<Attendee> attendees, List<AgendaItem> agenda,
                      List<Decision> decisions, Previous previousMeeting) {

    /** An attending partner organisation. */
    public record Attendee(String code, String name) {
    }

    /** A problem on the agenda, in agenda order. */
    public record AgendaItem(long problemId, String title, String stage, String owner) {
    }

    /** A decision; {@code by} is {@link Author}: the name only for analyst and admin callers. */
    public record Decision(long id, Long problemId, String text, OffsetDateTime recordedAt, Author by) {
    }

    /** Who recorded something: display name (null for callers who may not see names) and organisation code or null. */
    public record Author(String name, String organisation) {
    }

    public record Previous(long id, LocalDate heldOn) {
    }

    /** One line of {@code GET /api/meetings}. */
    public record Summary(long id, LocalDate heldOn, String title, List<Attendee> attendees, int agendaCount, int decisionCount) {
    }
}
