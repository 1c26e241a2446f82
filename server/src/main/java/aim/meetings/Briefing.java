package aim.meetings;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The briefing pack of a meeting ({@code GET /api/meetings/{id}/briefing}): the one value both the JSON
 * answer and the HTML/PDF renderings ({@link BriefingHtml}, {@link BriefingPdf}) are made from. Counts are
 * of the incidents the caller may see ({@link aim.incidents.Redaction}); actions are those the caller may
 * see (the problems domain's visibility rule). Every {@code link} is the web map view that shows the figure.
 *
 * @param redaction the redaction note for callers whose view of sensitive incidents is generalised, or null
 * @param indicators the performance framework's locality table and off-target indicators ({@link BriefingIndicators})
 */
public record Briefing(MeetingInfo meeting, Window window, Headline headline, Hotspots hotspots, MapImage map,
                       List<WardRow> wards, Problems problems, Actions actions, PreviousMeeting previousMeeting,
                       Map<String, Object> redaction, OffsetDateTime generatedAt, BriefingIndicators.Section indicators,
                       BriefingEvaluations.Section evaluations) {

    public record MeetingInfo(long id, LocalDate heldOn, String title, List<Meeting.Attendee> attendees, String link) {
    }

    /**
     * The window (inclusive dates), the previous window of the same length it is compared with (as the
     * area views define it) and the same window a year earlier, each with its UK financial-year quarter(s).
     */
    public record Window(LocalDate from, LocalDate to, long days, String quarter, LocalDate previousFrom, LocalDate previousTo,
                         String previousQuarter, LocalDate lastYearFrom, LocalDate lastYearTo, String lastYearQuarter) {
    }

    /** A change between two counts: difference, percent (null from 0) and the exact Poisson test. */
    public record Change(long count, Double percent, double pValue, boolean significant) {
    }

    /** Incidents per neighbourhood (and in total): this window, the previous one and the same window last year. */
    public record Headline(String test, Line total, List<Line> neighbourhoods, String note) {
    }

    public record Line(String code, String name, long count, long previous, long lastYear, Change sincePrevious,
                       Change sinceLastYear, String link) {
    }

    /**
     * Hot cells (Gi* on {@code cellSize} m squares) of this window that were not hot in the previous window
     * ({@code new}) or were hot then too and hold more incidents now ({@code intensifying}).
     */
    public record Hotspots(String method, double cellSize, String rule, @JsonProperty("new") List<HotCell> fresh,
                           List<HotCell> intensifying, int hotCells, String link) {
    }

    public record HotCell(int i, int j, long incidents, long previousIncidents, Double z, double lon, double lat, String link) {
    }

    /** The map: ward outlines, hot cells and problem places as one SVG (EPSG:27700 metres in its viewBox). */
    public record MapImage(String svg, int wards, int cells, int problems, String link) {
    }

    /** A ward's rate per 1,000 residents and rank now and in the previous window; movement = previous rank − rank. */
    public record WardRow(String code, String name, long count, Double rate, Integer rank, Long previousCount,
                          Integer previousRank, Integer movement, Change change, String link) {
    }

    public record Problems(@JsonProperty("new") List<ProblemItem> fresh, List<ProblemItem> escalated, List<ProblemItem> agenda) {
    }

    /**
     * A problem with its target progress (the problems domain's computation; null without a target) and the
     * trend of its incidents (its categories, inside its place) this window against the previous one.
     */
    public record ProblemItem(long id, String title, String stage, String owner, String placeLabel, List<String> categories,
                              LocalDate startDate, Escalation escalation, Object progress, Trend trend, String link) {
    }

    public record Trend(long current, long previous, Change change) {
    }

    public record Escalation(long id, String fromOwner, String reason, OffsetDateTime raisedAt, String decision,
                             String decisionNote, OffsetDateTime decidedAt) {
    }

    /**
     * The actions the caller may see: due in the window (any status), overdue today (due before today and
     * still open, in progress or on hold) and completed in the window, with counts by organisation.
     */
    public record Actions(LocalDate today, List<ActionItem> due, List<ActionItem> overdue, List<ActionItem> completed,
                          List<OrganisationCount> byOrganisation) {
    }

    public record ActionItem(long id, long problemId, String problemTitle, String title, Meeting.Attendee organisation,
                             LocalDate due, String status, boolean overdue, LocalDate completedOn, Long meetingId, String link) {
    }

    public record OrganisationCount(String code, String name, long due, long overdue, long completed) {
    }

    /** The previous meeting's decisions and the actions agreed at it, with their status now. */
    public record PreviousMeeting(long id, LocalDate heldOn, String title, List<DecisionFollowUp> decisions,
                                  List<ActionItem> actionsAgreed) {
    }

    /** A decision and the actions agreed at the same meeting on the same problem. */
    public record DecisionFollowUp(long id, Long problemId, String problemTitle, String text, List<ActionItem> actions) {
    }
}
