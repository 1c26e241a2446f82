package aim.meetings;

import aim.accounts.User;
import aim.db.SqlFragment;
import aim.incidents.IncidentFilter;
import aim.problems.ActionVisibility;
import aim.problems.ProblemTargets;
import aim.problems.TargetProgress;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the briefing: problems new or escalated in a window (or on an agenda), counts of a problem's
 * incidents, the actions a caller may see, a meeting's decisions and the shapes of the map (EPSG:27700,
 * written by PostGIS as SVG path data, y pointing down). Lists are capped at {@value #MAX_ROWS} rows.
 */
public final class BriefingRepository {
    static final int MAX_ROWS = 200;
    /** Simplification of ward and problem outlines for the map, metres. */
    static final double SIMPLIFY_METRES = 5;

    private static final String PROBLEM_COLUMNS = """
            SELECT p.id, p.title, p.stage, p.owner, p.place_label, p.categories, p.start_date,
                   ST_X(c), ST_Y(c), e.id, e.from_owner, e.reason, e.raised_at, e.decision, e.decision_note, e.decided_at
            FROM problem p
            CROSS JOIN LATERAL ST_Transform(ST_PointOnSurface(p.geom), 4326) c
            """;

    private static final String NEW_PROBLEMS = PROBLEM_COLUMNS + """
            LEFT JOIN LATERAL (SELECT NULL::bigint AS id, NULL AS from_owner, NULL AS reason, NULL::timestamptz AS raised_at,
                                      NULL AS decision, NULL AS decision_note, NULL::timestamptz AS decided_at) e ON true
            WHERE p.start_date BETWEEN ? AND ? OR (p.created_at AT TIME ZONE 'Europe/London')::date BETWEEN ? AND ?
            ORDER BY p.start_date, p.id LIMIT ?""";

    private static final String ESCALATED_PROBLEMS = PROBLEM_COLUMNS + """
            JOIN escalation e ON e.problem_id = p.id
            WHERE (e.raised_at AT TIME ZONE 'Europe/London')::date BETWEEN ? AND ?
               OR (e.decided_at AT TIME ZONE 'Europe/London')::date BETWEEN ? AND ?
            ORDER BY e.raised_at, e.id LIMIT ?""";

    private static final String AGENDA_PROBLEMS = PROBLEM_COLUMNS + """
            JOIN meeting_agenda_item a ON a.problem_id = p.id AND a.meeting_id = ?
            LEFT JOIN LATERAL (SELECT NULL::bigint AS id, NULL AS from_owner, NULL AS reason, NULL::timestamptz AS raised_at,
                                      NULL AS decision, NULL AS decision_note, NULL::timestamptz AS decided_at) e ON true
            ORDER BY a.position LIMIT ?""";

    private static final String ACTION_COLUMNS = """
            SELECT a.id, a.problem_id, p.title, a.title, o.code, o.name, a.due, a.status, a.completed_on, a.meeting_id,
                   a.status IN ('open', 'in-progress', 'on-hold') AND a.due < ? AS overdue
            FROM problem_action a JOIN problem p ON p.id = a.problem_id JOIN partner_organisation o ON o.id = a.organisation_id
            """;

    private static final String DECISIONS = """
            SELECT d.id, d.problem_id, p.title, d.text FROM meeting_decision d LEFT JOIN problem p ON p.id = d.problem_id
            WHERE d.meeting_id = ? ORDER BY d.recorded_at, d.id LIMIT ?""";

    private final DataSource dataSource;

    public BriefingRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A problem as the briefing lists it; {@code lon}/{@code lat} a point on its place (WGS84). */
    record ProblemRow(long id, String title, String stage, String owner, String placeLabel, List<String> categories,
                      LocalDate startDate, double lon, double lat, Briefing.Escalation escalation) {
    }

    /** Problems that started or were created in the window. */
    List<ProblemRow> newProblems(LocalDate from, LocalDate to) {
        return problems(NEW_PROBLEMS, from, to, from, to, MAX_ROWS);
    }

    /** Problems with an escalation raised or decided in the window (one row per escalation). */
    List<ProblemRow> escalatedProblems(LocalDate from, LocalDate to) {
        return problems(ESCALATED_PROBLEMS, from, to, from, to, MAX_ROWS);
    }

    List<ProblemRow> agendaProblems(long meetingId) {
        return problems(AGENDA_PROBLEMS, meetingId, MAX_ROWS);
    }

    /** Incidents of the filter (window, categories, the caller's redaction) whose visible point lies in the problem's place. */
    long count(IncidentFilter filter, long problemId) {
        SqlFragment place = SqlFragment.of("(SELECT geom FROM problem WHERE id = ?)", problemId);
        SqlFragment where = filter.located(place);
        SqlFragment from = filter.incidents(place);
        List<Object> params = new ArrayList<>(from.params());
        params.addAll(where.params());
        return query("SELECT count(*) FROM " + from.sql() + " WHERE " + where.sql(), params, rs -> rs.getLong(1)).get(0);
    }

    /** Which actions: due in a window, overdue on a day, completed in a window, or agreed at a meeting. */
    static SqlFragment dueBetween(LocalDate from, LocalDate to) {
        return SqlFragment.of("a.due BETWEEN ? AND ?", from, to);
    }

    static SqlFragment overdueOn(LocalDate today) {
        return SqlFragment.of("a.status IN ('open', 'in-progress', 'on-hold') AND a.due < ?", today);
    }

    static SqlFragment completedBetween(LocalDate from, LocalDate to) {
        return SqlFragment.of("a.status = 'done' AND a.completed_on BETWEEN ? AND ?", from, to);
    }

    static SqlFragment agreedAt(long meetingId) {
        return SqlFragment.of("a.meeting_id = ?", meetingId);
    }

    /** The actions matching {@code which} that {@code caller} may see, by due date. */
    List<Briefing.ActionItem> actions(User caller, SqlFragment which, LocalDate today) {
        SqlFragment where = SqlFragment.and(List.of(visibleActions(caller), which));
        List<Object> params = new ArrayList<>();
        params.add(today);
        params.addAll(where.params());
        params.add(MAX_ROWS);
        return query(ACTION_COLUMNS + "WHERE " + where.sql() + " ORDER BY a.due, a.id LIMIT ?", params, rs ->
                new Briefing.ActionItem(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        new Meeting.Attendee(rs.getString(5), rs.getString(6)), rs.getObject(7, LocalDate.class), rs.getString(8),
                        rs.getBoolean(11), rs.getObject(9, LocalDate.class), (Long) rs.getObject(10), null));
    }

    /** Per organisation with any such action: how many of the caller's visible actions are due, overdue, completed. */
    List<Briefing.OrganisationCount> countsByOrganisation(User caller, LocalDate from, LocalDate to, LocalDate today) {
        SqlFragment due = dueBetween(from, to), overdue = overdueOn(today), completed = completedBetween(from, to);
        SqlFragment visible = visibleActions(caller);
        List<Object> params = new ArrayList<>();
        params.addAll(due.params());
        params.addAll(overdue.params());
        params.addAll(completed.params());
        params.addAll(visible.params());
        String sql = "SELECT o.code, o.name, count(*) FILTER (WHERE " + due.sql() + "), count(*) FILTER (WHERE " + overdue.sql()
                + "), count(*) FILTER (WHERE " + completed.sql() + ") FROM problem_action a JOIN partner_organisation o"
                + " ON o.id = a.organisation_id WHERE " + visible.sql() + " GROUP BY o.id, o.code, o.name"
                + " HAVING count(*) FILTER (WHERE " + due.sql() + " OR " + overdue.sql() + " OR " + completed.sql() + ") > 0"
                + " ORDER BY o.name, o.code";
        params.addAll(due.params());
        params.addAll(overdue.params());
        params.addAll(completed.params());
        return query(sql, params, rs -> new Briefing.OrganisationCount(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getLong(4), rs.getLong(5)));
    }

    record DecisionRow(long id, Long problemId, String problemTitle, String text) {
    }

    List<DecisionRow> decisions(long meetingId) {
        return query(DECISIONS, List.of(meetingId, MAX_ROWS), rs ->
                new DecisionRow(rs.getLong(1), (Long) rs.getObject(2), rs.getString(3), rs.getString(4)));
    }

    /** The map's shapes: SVG path data in EPSG:27700 (y negated, as {@code ST_AsSVG} writes it). */
    record Shape(String code, String label, String path) {
    }

    /** The bounding box of a boundary set (minX, minY, maxX, maxY, metres) and its centre in WGS84 (lon, lat). */
    record Extent(double minX, double minY, double maxX, double maxY, double lon, double lat) {
    }

    Extent extent(long setId) {
        return query("""
                SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), ST_X(c), ST_Y(c)
                FROM (SELECT ST_Extent(geom)::geometry AS e FROM boundary WHERE set_id = ?) x
                CROSS JOIN LATERAL ST_Transform(ST_SetSRID(ST_Centroid(e), 27700), 4326) c
                WHERE e IS NOT NULL""", List.of(setId), rs -> new Extent(rs.getDouble(1), rs.getDouble(2), rs.getDouble(3),
                rs.getDouble(4), rs.getDouble(5), rs.getDouble(6))).stream().findFirst().orElse(null);
    }

    List<Shape> wardShapes(long setId) {
        return query("""
                SELECT code, name, ST_AsSVG(ST_SimplifyPreserveTopology(geom, ?), 0, 0) FROM boundary
                WHERE set_id = ? ORDER BY code""", List.of(SIMPLIFY_METRES, setId),
                rs -> new Shape(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    List<Shape> problemShapes(List<Long> ids) {
        if (ids.isEmpty()) return List.of();
        return query("""
                SELECT id::text, title, ST_AsSVG(ST_SimplifyPreserveTopology(geom, ?), 0, 0) FROM problem
                WHERE id = ANY (?) ORDER BY id""", List.of(SIMPLIFY_METRES, ids.toArray(Long[]::new)),
                rs -> new Shape(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    /** EPSG:27700 points (x[k], y[k]) as WGS84 (lon, lat) pairs, in order. */
    List<double[]> toWgs84(double[] x, double[] y) {
        if (x.length == 0) return List.of();
        return query("""
                SELECT ST_X(t), ST_Y(t) FROM unnest(?::float8[], ?::float8[]) WITH ORDINALITY AS u(x, y, n)
                CROSS JOIN LATERAL ST_Transform(ST_SetSRID(ST_MakePoint(u.x, u.y), 27700), 4326) t ORDER BY u.n""",
                List.of(Arrays.stream(x).boxed().toArray(Double[]::new), Arrays.stream(y).boxed().toArray(Double[]::new)),
                rs -> new double[]{rs.getDouble(1), rs.getDouble(2)});
    }

    /** The actions (alias {@code a}) the caller may see: the problems domain's one rule. */
    static SqlFragment visibleActions(User caller) {
        return ActionVisibility.visibleTo(caller, "a");
    }

    /** The problem's target progress as the caller may count it (the problems domain's computation), if it has a target. */
    Optional<TargetProgress> progress(long problemId, User caller, LocalDate today) {
        try (Connection c = dataSource.getConnection()) {
            return ProblemTargets.progress(c, problemId, caller, today);
        } catch (SQLException e) {
            throw new IllegalStateException("computing the progress of problem " + problemId + " failed", e);
        }
    }

    private List<ProblemRow> problems(String sql, Object... params) {
        return query(sql, List.of(params), rs -> {
            Array categories = rs.getArray(6);
            long escalation = rs.getLong(10);
            Briefing.Escalation e = rs.wasNull() ? null : new Briefing.Escalation(escalation, rs.getString(11), rs.getString(12),
                    rs.getObject(13, OffsetDateTime.class), rs.getString(14), rs.getString(15), rs.getObject(16, OffsetDateTime.class));
            return new ProblemRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    List.of((String[]) categories.getArray()), rs.getObject(7, LocalDate.class), rs.getDouble(8), rs.getDouble(9), e);
        });
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> params, RowReader<T> reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object p : params) {
                if (p instanceof String[] s) ps.setArray(i++, c.createArrayOf("text", s));
                else if (p instanceof Long[] l) ps.setArray(i++, c.createArrayOf("bigint", l));
                else if (p instanceof Double[] d) ps.setArray(i++, c.createArrayOf("float8", d));
                else ps.setObject(i++, p);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(reader.read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the briefing failed", e);
        }
    }
}
