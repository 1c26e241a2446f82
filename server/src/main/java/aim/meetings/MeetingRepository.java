package aim.meetings;

import aim.accounts.Role;
import aim.accounts.User;
import aim.core.DomainException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Meetings, their attendees, agenda and decisions, and the {@code Idempotency-Key}s of the requests that
 * create them (table {@code loop_request}, kinds {@value #MEETING} and {@value #DECISION}). Every write is
 * one transaction: a meeting with an unknown organisation or problem leaves nothing behind.
 */
public final class MeetingRepository {
    static final String MEETING = "meeting", DECISION = "decision";

    private static final String PREVIOUS = """
            SELECT p.id, p.held_on FROM meeting m JOIN meeting p ON (p.held_on, p.id) < (m.held_on, m.id)
            WHERE m.id = ? ORDER BY p.held_on DESC, p.id DESC LIMIT 1""";

    private static final String LIST = """
            SELECT m.id, m.held_on, m.title,
                   (SELECT count(*) FROM meeting_agenda_item a WHERE a.meeting_id = m.id),
                   (SELECT count(*) FROM meeting_decision d WHERE d.meeting_id = m.id)
            FROM meeting m ORDER BY m.held_on DESC, m.id DESC LIMIT ?""";

    private static final String ATTENDEES = """
            SELECT a.meeting_id, o.code, o.name FROM meeting_attendee a JOIN partner_organisation o ON o.id = a.organisation_id
            WHERE a.meeting_id = ANY (?) ORDER BY o.name, o.code""";

    private static final String AGENDA = """
            SELECT p.id, p.title, p.stage, p.owner FROM meeting_agenda_item a JOIN problem p ON p.id = a.problem_id
            WHERE a.meeting_id = ? ORDER BY a.position""";

    private static final String DECISIONS = """
            SELECT d.id, d.problem_id, d.text, d.recorded_at, u.display_name, o.code
            FROM meeting_decision d JOIN app_user u ON u.id = d.recorded_by
            LEFT JOIN partner_organisation o ON o.id = u.organisation_id
            WHERE d.meeting_id = ? ORDER BY d.recorded_at, d.id""";

    private final DataSource dataSource;

    public MeetingRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What an earlier request with the same key made: the hash of its body and the id of what it created. */
    public record Idempotent(byte[] requestHash, long resourceId) {
    }

    public Optional<Idempotent> idempotent(long userId, String kind, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT request_hash, resource_id FROM loop_request WHERE user_id = ? AND kind = ? AND key = ?")) {
            ps.setLong(1, userId);
            ps.setString(2, kind);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Idempotent(rs.getBytes(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading an idempotency key failed", e);
        }
    }

    /**
     * Stores a new meeting; with a key (non-null) also the key, in the same transaction. Empty when a
     * concurrent request with the same key committed first (nothing is written then).
     */
    public OptionalLong create(MeetingValidation.Fields f, long userId, String key, byte[] requestHash) {
        return inTransaction(c -> {
            Map<String, Long> organisations = organisations(c, f.attendees());
            requireProblems(c, f.agenda(), "agenda");
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO meeting (held_on, title, created_by) VALUES (?, ?, ?) RETURNING id")) {
                ps.setObject(1, f.heldOn());
                ps.setString(2, f.title());
                ps.setLong(3, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            writeAttendees(c, id, f.attendees(), organisations);
            writeAgenda(c, id, f.agenda());
            if (key != null && !remember(c, userId, MEETING, key, requestHash, id)) return OptionalLong.empty();
            return OptionalLong.of(id);
        });
    }

    /** Changes the fields given (non-null); false when there is no such meeting. */
    public boolean update(long id, MeetingValidation.Fields f) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM meeting WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return false;
                }
            }
            if (f.heldOn() != null || f.title() != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE meeting SET held_on = coalesce(?, held_on), title = coalesce(?, title) WHERE id = ?")) {
                    ps.setObject(1, f.heldOn());
                    ps.setString(2, f.title());
                    ps.setLong(3, id);
                    ps.executeUpdate();
                }
            }
            if (f.attendees() != null) {
                Map<String, Long> organisations = organisations(c, f.attendees());
                delete(c, "DELETE FROM meeting_attendee WHERE meeting_id = ?", id);
                writeAttendees(c, id, f.attendees(), organisations);
            }
            if (f.agenda() != null) {
                requireProblems(c, f.agenda(), "agenda");
                delete(c, "DELETE FROM meeting_agenda_item WHERE meeting_id = ?", id);
                writeAgenda(c, id, f.agenda());
            }
            return true;
        });
    }

    /**
     * Records a decision (and, against a problem, the problem's {@code decision} event) in one transaction.
     * Empty when a concurrent request with the same key committed first.
     */
    public OptionalLong addDecision(long meetingId, String text, Long problemId, long userId, String key, byte[] requestHash) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM meeting WHERE id = ? FOR SHARE")) {
                ps.setLong(1, meetingId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw noMeeting(meetingId);
                }
            }
            if (problemId != null) requireProblems(c, List.of(problemId), "problemId");
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO meeting_decision (meeting_id, problem_id, text, recorded_by) VALUES (?, ?, ?, ?) RETURNING id""")) {
                ps.setLong(1, meetingId);
                ps.setObject(2, problemId);
                ps.setString(3, text);
                ps.setLong(4, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            if (problemId != null) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO problem_event (problem_id, by_user, kind, changes, note)
                        VALUES (?, ?, 'decision', jsonb_build_object('meeting', ?::bigint, 'decision', ?::bigint), ?)""")) {
                    ps.setLong(1, problemId);
                    ps.setLong(2, userId);
                    ps.setLong(3, meetingId);
                    ps.setLong(4, id);
                    ps.setString(5, text);
                    ps.executeUpdate();
                }
            }
            if (key != null && !remember(c, userId, DECISION, key, requestHash, id)) return OptionalLong.empty();
            return OptionalLong.of(id);
        });
    }

    /** The meeting as {@code viewer} may see it (decision authors' names only for analysts and admins). */
    public Optional<Meeting> find(long id, User viewer) {
        try (Connection c = dataSource.getConnection()) {
            LocalDate heldOn;
            String title;
            try (PreparedStatement ps = c.prepareStatement("SELECT held_on, title FROM meeting WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    heldOn = rs.getObject(1, LocalDate.class);
                    title = rs.getString(2);
                }
            }
            List<Meeting.AgendaItem> agenda = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(AGENDA)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) agenda.add(new Meeting.AgendaItem(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            boolean names = seesNames(viewer);
            List<Meeting.Decision> decisions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(DECISIONS)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        decisions.add(new Meeting.Decision(rs.getLong(1), (Long) rs.getObject(2), rs.getString(3),
                                rs.getObject(4, OffsetDateTime.class), new Meeting.Author(names ? rs.getString(5) : null, rs.getString(6))));
                    }
                }
            }
            Meeting.Previous previous = null;
            try (PreparedStatement ps = c.prepareStatement(PREVIOUS)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) previous = new Meeting.Previous(rs.getLong(1), rs.getObject(2, LocalDate.class));
                }
            }
            return Optional.of(new Meeting(id, heldOn, title, attendees(c, new Long[]{id}).getOrDefault(id, List.of()), agenda,
                    decisions, previous));
        } catch (SQLException e) {
            throw new IllegalStateException("reading meeting " + id + " failed", e);
        }
    }

    /** The newest {@code limit} meetings, newest first. */
    public List<Meeting.Summary> list(int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LIST)) {
            ps.setInt(1, limit);
            record Row(long id, LocalDate heldOn, String title, int agenda, int decisions) {
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getString(3), rs.getInt(4), rs.getInt(5)));
                }
            }
            Map<Long, List<Meeting.Attendee>> attendees = attendees(c, rows.stream().map(Row::id).toArray(Long[]::new));
            return rows.stream().map(r -> new Meeting.Summary(r.id(), r.heldOn(), r.title(),
                    attendees.getOrDefault(r.id(), List.of()), r.agenda(), r.decisions())).toList();
        } catch (SQLException e) {
            throw new IllegalStateException("listing meetings failed", e);
        }
    }

    /** Analysts and admins see who recorded a decision; everyone else sees only the organisation. */
    static boolean seesNames(User viewer) {
        return viewer.role() == Role.ADMIN || viewer.role() == Role.ANALYST;
    }

    static DomainException noMeeting(long id) {
        return DomainException.notFound("id", "no meeting " + id);
    }

    private static Map<Long, List<Meeting.Attendee>> attendees(Connection c, Long[] ids) throws SQLException {
        Map<Long, List<Meeting.Attendee>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(ATTENDEES)) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Meeting.Attendee(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** The ids of the organisation codes; a 422 problem naming {@code attendees} for the first unknown one. */
    private static Map<String, Long> organisations(Connection c, List<String> codes) throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        if (codes.isEmpty()) return ids;
        try (PreparedStatement ps = c.prepareStatement("SELECT code, id FROM partner_organisation WHERE code = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", codes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.put(rs.getString(1), rs.getLong(2));
            }
        }
        for (String code : codes) {
            if (!ids.containsKey(code)) {
                throw DomainException.rejected("attendees", "unknown organisation '" + code + "' (see GET /api/organisations)", null);
            }
        }
        return ids;
    }

    /** A 422 problem naming {@code field} for the first id that is no problem. */
    private static void requireProblems(Connection c, List<Long> ids, String field) throws SQLException {
        if (ids.isEmpty()) return;
        Set<Long> found = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM problem WHERE id = ANY (?) FOR SHARE")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(rs.getLong(1));
            }
        }
        for (Long id : ids) {
            if (!found.contains(id)) throw DomainException.rejected(field, "no problem " + id, null);
        }
    }

    private static void writeAttendees(Connection c, long id, List<String> codes, Map<String, Long> organisations) throws SQLException {
        if (codes.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO meeting_attendee (meeting_id, organisation_id) VALUES (?, ?)")) {
            for (String code : codes) {
                ps.setLong(1, id);
                ps.setLong(2, organisations.get(code));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void writeAgenda(Connection c, long id, List<Long> problems) throws SQLException {
        if (problems.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO meeting_agenda_item (meeting_id, problem_id, position) VALUES (?, ?, ?)")) {
            for (int k = 0; k < problems.size(); k++) {
                ps.setLong(1, id);
                ps.setLong(2, problems.get(k));
                ps.setInt(3, k + 1);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void delete(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /**
     * Stores the key in the caller's transaction; false when another request stored it first (its
     * transaction committed the same key: this one must then roll back and answer as a replay).
     */
    private static boolean remember(Connection c, long userId, String kind, String key, byte[] hash, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO loop_request (user_id, key, kind, request_hash, resource_id) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            ps.setLong(1, userId);
            ps.setString(2, key);
            ps.setString(3, kind);
            ps.setBytes(4, hash);
            ps.setLong(5, id);
            return ps.executeUpdate() == 1;
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction; rolls back on any failure and when it returns an empty OptionalLong. */
    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                if (result instanceof OptionalLong o && o.isEmpty()) c.rollback();
                else c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("writing a meeting failed", e);
        }
    }
}
