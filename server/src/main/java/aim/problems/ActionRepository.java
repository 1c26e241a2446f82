package aim.problems;

import aim.accounts.User;
import aim.core.DomainException;
import aim.core.Json;
import aim.db.SqlFragment;
import aim.incidents.IncidentFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Actions on problems ({@code problem_action}) and their history ({@code action_event}). Every read goes
 * through {@link ActionVisibility}; "overdue" is computed against the council's today.
 */
public final class ActionRepository {
    private static final ObjectMapper JSON = Json.mapper();

    private final DataSource dataSource;

    public ActionRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The action as JSON (aliases a, p, o, u; binds today once). */
    private static final String ACTION_JSON = """
            jsonb_build_object('id', a.id, 'problemId', a.problem_id, 'problemTitle', p.title, 'title', a.title,
                 'organisation', jsonb_build_object('id', o.id, 'code', o.code, 'name', o.name),
                 'assignee', CASE WHEN u.id IS NULL THEN NULL ELSE jsonb_build_object('username', u.username, 'name', u.display_name) END,
                 'due', a.due, 'startsOn', a.starts_on, 'endsOn', a.ends_on, 'status', a.status,
                 'overdue', a.due < ?::date AND a.status IN ('open', 'in-progress', 'on-hold'),
                 'completedOn', a.completed_on, 'meetingId', a.meeting_id, 'createdAt', a.created_at,
                 'updatedAt', a.updated_at, 'revision', a.revision,
                 'history', coalesce((SELECT jsonb_agg(jsonb_build_object('at', e.at, 'by', %s, 'kind', e.kind,
                                          'fromStatus', e.from_status, 'toStatus', e.to_status, 'note', e.note,
                                          'changes', e.changes) ORDER BY e.at, e.id)
                                      FROM action_event e WHERE e.action_id = a.id), '[]'::jsonb))::text"""
            .formatted(EventAuthors.by("e.by_user"));

    private static final String FROM = """
             FROM problem_action a JOIN problem p ON p.id = a.problem_id
             JOIN partner_organisation o ON o.id = a.organisation_id
             LEFT JOIN app_user u ON u.id = a.assignee_id""";

    /**
     * The filters of an action list: an organisation code, or {@code mine} (the caller's organisation),
     * statuses (empty: any), only overdue ones, one problem; at most {@code limit}.
     */
    public record Query(String organisation, boolean mine, List<String> statuses, boolean overdue, Long problem, int limit) {
    }

    /** The actions the caller may see that match the query, by due date. */
    public ArrayNode list(Query q, User caller, LocalDate today) {
        try (Connection c = dataSource.getConnection()) {
            return list(c, q, caller, today);
        } catch (SQLException e) {
            throw new IllegalStateException("listing actions failed", e);
        }
    }

    /** As {@link #list(Query, User, LocalDate)} on an open connection. */
    public ArrayNode list(Connection c, Query q, User caller, LocalDate today) throws SQLException {
        List<SqlFragment> where = new ArrayList<>();
        where.add(ActionVisibility.visibleTo(caller, "a"));
        if (q.mine()) {
            where.add(caller.organisationId() == null ? SqlFragment.of("false") : SqlFragment.of("a.organisation_id = ?", caller.organisationId()));
        }
        if (q.organisation() != null) where.add(SqlFragment.of("o.code = ?", q.organisation()));
        where.add(IncidentFilter.anyOf("a.status", q.statuses()));
        if (q.overdue()) where.add(SqlFragment.of("a.due < ?::date AND a.status IN ('open', 'in-progress', 'on-hold')", today));
        if (q.problem() != null) where.add(SqlFragment.of("a.problem_id = ?", q.problem()));
        SqlFragment filter = SqlFragment.and(where);
        String sql = EventAuthors.VIEWER + "SELECT " + ACTION_JSON + " " + FROM + " WHERE " + filter.sql()
                + " ORDER BY a.due, a.id LIMIT ?";
        List<Object> params = new ArrayList<>();
        params.add(ActionVisibility.seesAll(caller));
        params.add(today);
        params.addAll(filter.params());
        params.add(q.limit());
        ArrayNode out = JSON.createArrayNode();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(JSON.readTree(rs.getString(1)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading an action failed", e);
        }
        return out;
    }

    /** One action as JSON if the caller may see it. */
    public Optional<JsonNode> one(long id, User caller, LocalDate today) {
        ArrayNode found;
        try (Connection c = dataSource.getConnection()) {
            found = byId(c, caller, today, id);
        } catch (SQLException e) {
            throw new IllegalStateException("reading action " + id + " failed", e);
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static ArrayNode byId(Connection c, User caller, LocalDate today, long id) throws SQLException {
        ArrayNode all = JSON.createArrayNode();
        SqlFragment visible = ActionVisibility.visibleTo(caller, "a");
        String sql = EventAuthors.VIEWER + "SELECT " + ACTION_JSON + " " + FROM + " WHERE a.id = ? AND " + visible.sql();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBoolean(1, ActionVisibility.seesAll(caller));
            ps.setObject(2, today);
            ps.setLong(3, id);
            for (int i = 0; i < visible.params().size(); i++) ps.setObject(4 + i, visible.params().get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) all.add(JSON.readTree(rs.getString(1)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading an action failed", e);
        }
        return all;
    }

    /**
     * Stores a new action on a problem, its 'created' event and the problem's 'action-added' event
     * (idempotent with {@code key}): 404 without the problem, 409 naming {@code id} when it is closed,
     * 422 naming {@code organisation}, {@code assignee}, {@code meeting} or {@code due} when they do not fit.
     */
    public LoopRequests.Created create(long problemId, ActionInput.NewAction a, User by, String key, byte[] hash) {
        return LoopRequests.create(dataSource, by.id(), "action", key, hash, c -> {
            LocalDate start;
            try (PreparedStatement ps = c.prepareStatement("SELECT stage, start_date FROM problem WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, problemId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw DomainException.notFound("id", "no problem " + problemId);
                    if (ProblemStages.CLOSED.equals(rs.getString(1))) {
                        throw DomainException.conflict("id", "problem " + problemId + " is closed: it takes no new actions");
                    }
                    start = rs.getObject(2, LocalDate.class);
                }
            }
            long organisationId = organisation(c, a.organisation(), "organisation");
            Long assigneeId = a.assignee() == null ? null : assignee(c, a.assignee(), organisationId);
            if (a.due().isBefore(start)) {
                throw DomainException.rejected("due", "an action cannot be due before the problem's start date " + start, null);
            }
            if (a.meeting() != null) ProblemRepository.requireMeeting(c, a.meeting());
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO problem_action (problem_id, title, organisation_id, assignee_id, due, starts_on, ends_on, meeting_id, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
                ps.setLong(1, problemId);
                ps.setString(2, a.title());
                ps.setLong(3, organisationId);
                ps.setObject(4, assigneeId);
                ps.setObject(5, a.due());
                ps.setObject(6, a.startsOn());
                ps.setObject(7, a.endsOn());
                ps.setObject(8, a.meeting());
                ps.setLong(9, by.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            event(c, id, by.id(), "created", null, "open", null, a.note());
            ProblemRepository.event(c, problemId, by.id(), "action-added",
                    JSON.createObjectNode().put("action", id).put("title", a.title()).put("organisation", a.organisation()), null);
            return id;
        });
    }

    private static long organisation(Connection c, String code, String field) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM partner_organisation WHERE code = ?")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw DomainException.rejected(field, "no organisation with code '" + code + "'", null);
                return rs.getLong(1);
            }
        }
    }

    private static long assignee(Connection c, String username, long organisationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, organisation_id FROM app_user WHERE username = ? AND active")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw DomainException.rejected("assignee", "no active user '" + username + "'", null);
                if (!Objects.equals(rs.getObject(2, Long.class), organisationId)) {
                    throw DomainException.rejected("assignee", "user '" + username + "' does not belong to the action's organisation", null);
                }
                return rs.getLong(1);
            }
        }
    }

    private static void event(Connection c, long actionId, long by, String kind, String from, String to, JsonNode changes,
                              String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO action_event (action_id, by_user, kind, from_status, to_status, changes, note)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)""")) {
            ps.setLong(1, actionId);
            ps.setLong(2, by);
            ps.setString(3, kind);
            ps.setString(4, from);
            ps.setString(5, to);
            ps.setString(6, changes == null ? null : changes.toString());
            ps.setString(7, note);
            ps.executeUpdate();
        }
    }

    /**
     * Changes an action under a lock. Analysts and admins may change any field; a member of the action's
     * organisation only its status and note; anyone else is refused (403 naming {@code id}). The status
     * follows {@link ActionWorkflow}; done sets completedOn to today. A status move is logged as a
     * 'status' event (with the note), a note alone as 'note', other fields as one 'changed' event.
     * False when there is no action {@code id}.
     */
    public boolean update(long id, ActionInput.Change ch, Integer ifMatch, User by, LocalDate today) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long organisationId;
                String status;
                String title;
                LocalDate due;
                String assignee;
                String orgCode;
                Long assigneeId;
                int revision;
                LocalDate start;
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT a.organisation_id, a.status, a.title, a.due, u.username, o.code, a.assignee_id, a.revision, p.start_date
                        FROM problem_action a JOIN partner_organisation o ON o.id = a.organisation_id
                        JOIN problem p ON p.id = a.problem_id
                        LEFT JOIN app_user u ON u.id = a.assignee_id WHERE a.id = ? FOR UPDATE OF a""")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            c.rollback();
                            return false;
                        }
                        organisationId = rs.getLong(1);
                        status = rs.getString(2);
                        title = rs.getString(3);
                        due = rs.getObject(4, LocalDate.class);
                        assignee = rs.getString(5);
                        orgCode = rs.getString(6);
                        assigneeId = rs.getObject(7, Long.class);
                        revision = rs.getInt(8);
                        start = rs.getObject(9, LocalDate.class);
                    }
                }
                boolean staff = ActionVisibility.seesAll(by);
                if (!staff && !ActionVisibility.sees(by, organisationId)) {
                    throw DomainException.forbidden("id", "only analysts, admins and members of the action's organisation may change it");
                }
                if (!staff && !ch.staffOnly().isEmpty()) {
                    String field = ch.staffOnly().stream().sorted().findFirst().orElseThrow();
                    throw DomainException.forbidden(field, "a partner may change only an action's status and note");
                }
                if (ifMatch != null && ifMatch != revision) {
                    throw DomainException.preconditionFailed("If-Match", "the action has changed (revision " + revision
                            + ", not " + ifMatch + "): read it again and repeat the change");
                }
                String newStatus = ch.status() == null ? status : ch.status();
                ActionWorkflow.checkMove(status, newStatus, staff);
                ObjectNode changes = JSON.createObjectNode();
                String newTitle = ch.given().contains("title") ? ch.title() : title;
                LocalDate newDue = ch.given().contains("due") ? ch.due() : due;
                if (newDue.isBefore(start)) {
                    throw DomainException.rejected("due", "an action cannot be due before the problem's start date " + start, null);
                }
                long newOrg = ch.given().contains("organisation") ? organisation(c, ch.organisation(), "organisation") : organisationId;
                String newOrgCode = ch.given().contains("organisation") ? ch.organisation() : orgCode;
                Long newAssigneeId = assigneeId;
                String newAssignee = assignee;
                if (ch.given().contains("assignee")) {
                    newAssignee = ch.assignee();
                    newAssigneeId = ch.assignee() == null ? null : assignee(c, ch.assignee(), newOrg);
                } else if (newOrg != organisationId && assigneeId != null) {
                    newAssignee = null; // the assignee belonged to the old organisation
                    newAssigneeId = null;
                }
                put(changes, "title", title, newTitle);
                put(changes, "due", due.toString(), newDue.toString());
                put(changes, "organisation", orgCode, newOrgCode);
                put(changes, "assignee", assignee, newAssignee);
                boolean moved = !newStatus.equals(status);
                if (!moved && changes.isEmpty() && ch.note() == null) {
                    c.rollback();
                    return true;
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE problem_action SET status = ?, title = ?, due = ?, organisation_id = ?, assignee_id = ?,
                               completed_on = CASE WHEN ? = 'done' THEN CASE WHEN status = 'done' THEN completed_on ELSE ?::date END END,
                               updated_at = now(), revision = revision + 1
                        WHERE id = ?""")) {
                    ps.setString(1, newStatus);
                    ps.setString(2, newTitle);
                    ps.setObject(3, newDue);
                    ps.setLong(4, newOrg);
                    ps.setObject(5, newAssigneeId);
                    ps.setString(6, newStatus);
                    ps.setObject(7, today);
                    ps.setLong(8, id);
                    ps.executeUpdate();
                }
                if (moved) event(c, id, by.id(), "status", status, newStatus, null, ch.note());
                if (!changes.isEmpty()) event(c, id, by.id(), "changed", null, null, changes, moved ? null : ch.note());
                if (!moved && changes.isEmpty()) event(c, id, by.id(), "note", null, null, null, ch.note());
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("changing action " + id + " failed", e);
        }
    }

    private static void put(ObjectNode changes, String field, String from, String to) {
        if (Objects.equals(from, to)) return;
        ObjectNode c = changes.putObject(field);
        c.put("from", from);
        c.put("to", to);
    }
}
