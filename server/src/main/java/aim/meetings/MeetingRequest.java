package aim.meetings;

import java.util.List;

/**
 * The body of {@code POST /api/meetings} and {@code PATCH /api/meetings/{id}}: the date it is held on
 * ({@code YYYY-MM-DD}), a title, the attending partner organisations (codes) and the agenda (problem ids,
 * in order). Absent lists are empty on creation and unchanged by a PATCH.
 */
public record MeetingRequest(String heldOn, String title, List<String> attendees, List<Long> agenda) {
}
