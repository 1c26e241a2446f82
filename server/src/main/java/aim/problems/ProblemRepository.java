package aim.problems;

import aim.accounts.User;
import aim.core.DomainException;
import aim.core.Json;
import aim.db.SqlFragment;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Problems in PostgreSQL: creation, the detail (with the visible actions, escalations, history (an
 * 'action-added' event only when the caller sees that action) and target progress), the map list as GeoJSON written by PostGIS (WGS84, 6 decimals), changes with their history,
 * and escalations. Geometries are stored in EPSG:27700.
 */
public final class ProblemRepository {
    private static final ObjectMapper JSON = Json.mapper();
    private static final int FETCH_SIZE = 200;
    /** The most actions a problem's detail lists. */
    private static final int MAX_ACTIONS = 1000;

    private final DataSource dataSource;
    private final ActionRepository actions;

    public ProblemRepository(DataSource dataSource, ActionRepository actions) {
        this.dataSource = dataSource;
        this.actions = actions;
    }

    /** Stores a new problem and its 'created' event (idempotent with {@code key}). */
    public LoopRequests.Created create(ProblemFields f, User by, String key, byte[] hash) {
        return LoopRequests.create(dataSource, by.id(), "problem", key, hash, c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO problem (title, categories, place_spec, place_label, geom, owner, lead_organisation_id, stage,
                                         objective, target_percent, target_months, target_baseline, target_start,
                                         start_date, review_date, created_by)
                    VALUES (?, ?::text[], ?::jsonb, ?, ST_Multi(ST_GeomFromEWKB(?)), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
                int i = 1;
                ps.setString(i++, f.title());
                ps.setArray(i++, c.createArrayOf("text", f.categories().toArray()));
                ps.setString(i++, f.place().spec().toString());
                ps.setString(i++, f.place().label());
                ps.setBytes(i++, f.place().ewkb());
                ps.setString(i++, f.owner());
                ps.setObject(i++, f.leadOrganisationId());
                ps.setString(i++, f.stage());
                ps.setString(i++, f.objective());
                i = bindTarget(ps, i, f.target());
                ps.setObject(i++, f.startDate());
                ps.setObject(i++, f.reviewDate());
                ps.setLong(i, by.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            event(c, id, by.id(), "created", null, null);
            return id;
        });
    }

    private static int bindTarget(PreparedStatement ps, int i, ProblemTarget t) throws SQLException {
        ps.setObject(i++, t == null ? null : java.math.BigDecimal.valueOf(t.percent()));
        ps.setObject(i++, t == null ? null : t.months());
        ps.setString(i++, t == null ? null : t.baseline());
        ps.setObject(i++, t == null ? null : t.start());
        return i;
    }

    static void event(Connection c, long problemId, Long by, String kind, JsonNode changes, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO problem_event (problem_id, by_user, kind, changes, note) VALUES (?, ?, ?, ?::jsonb, ?)")) {
            ps.setLong(1, problemId);
            ps.setObject(2, by);
            ps.setString(3, kind);
            ps.setString(4, changes == null ? null : changes.toString());
            ps.setString(5, note);
            ps.executeUpdate();
        }
    }

    private static final String TARGET_JSON = """
            CASE WHEN p.target_percent IS NULL THEN NULL ELSE jsonb_build_object('percent', p.target_percent,
                 'months', p.target_months, 'baseline', p.target_baseline, 'start', p.target_start) END""";

    private static final String LEAD_JSON = """
            CASE WHEN lo.id IS NULL THEN NULL ELSE jsonb_build_object('id', lo.id, 'code', lo.code, 'name', lo.name) END""";

    static final String ESCALATION_JSON = """
            jsonb_build_object('id', e.id, 'problemId', e.problem_id, 'fromOwner', e.from_owner, 'reason', e.reason,
                 'raisedBy', %s, 'raisedAt', e.raised_at, 'decision', e.decision, 'decisionNote', e.decision_note,
                 'decidedBy', %s, 'decidedAt', e.decided_at, 'meetingId', e.meeting_id)"""
            .formatted(EventAuthors.by("e.raised_by"), EventAuthors.by("e.decided_by"));

    private static final String DETAIL = EventAuthors.VIEWER + """
            SELECT jsonb_build_object('id', p.id, 'title', p.title, 'categories', to_jsonb(p.categories), 'area', p.place_spec,
                 'placeLabel', p.place_label, 'geometry', ST_AsGeoJSON(ST_Transform(p.geom, 4326), 6)::jsonb, 'owner', p.owner,
                 'leadOrganisation', %s, 'stage', p.stage, 'objective', p.objective, 'target', %s,
                 'startDate', p.start_date, 'reviewDate', p.review_date, 'closedOn', p.closed_on,
                 'createdAt', p.created_at, 'updatedAt', p.updated_at, 'revision', p.revision,
                 'escalations', coalesce((SELECT jsonb_agg(%s ORDER BY e.raised_at, e.id) FROM escalation e
                                          WHERE e.problem_id = p.id), '[]'::jsonb),
                 'history', coalesce((SELECT jsonb_agg(jsonb_build_object('at', ev.at, 'by', %s, 'kind', ev.kind,
                                          'changes', ev.changes, 'note', ev.note) ORDER BY ev.at, ev.id)
                                      FROM problem_event ev WHERE ev.problem_id = p.id
                                       AND (ev.kind <> 'action-added' OR EXISTS (SELECT 1 FROM problem_action a
                                            WHERE a.id = (ev.changes ->> 'action')::bigint AND %s))), '[]'::jsonb))::text
            FROM problem p LEFT JOIN partner_organisation lo ON lo.id = p.lead_organisation_id
            WHERE p.id = ?""".formatted(LEAD_JSON, TARGET_JSON, ESCALATION_JSON, EventAuthors.by("ev.by_user"), "%s");

    /** The problem as {@code caller} may see it (actions by {@link ActionVisibility}), or empty. */
    public Optional<ObjectNode> detail(long id, User caller, LocalDate today) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                String text;
                // the history names an action when it is added: only callers who see that action see the event
                SqlFragment visible = ActionVisibility.visibleTo(caller, "a");
                try (PreparedStatement ps = c.prepareStatement(DETAIL.formatted(visible.sql()))) {
                    int i = 1;
                    ps.setBoolean(i++, ActionVisibility.seesAll(caller));
                    for (Object v : visible.params()) ps.setObject(i++, v);
                    ps.setLong(i, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) return Optional.empty();
                        text = rs.getString(1);
                    }
                }
                ObjectNode node = (ObjectNode) JSON.readTree(text);
                node.set("actions", actions.list(c, new ActionRepository.Query(null, false, List.of(), false, id, MAX_ACTIONS), caller, today));
                node.set("progress", ProblemTargets.progress(c, id, caller, today).map(p -> (JsonNode) JSON.valueToTree(p))
                        .orElse(JSON.nullNode()));
                return Optional.of(node);
            } finally {
                c.rollback();
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("reading problem " + id + " failed", e);
        }
    }

    /** The filters of the problem list; null or empty: any. {@code owner} is "aim", "nap" (any NAP) or "nap:CODE". */
    public record ListQuery(List<String> stages, String owner, String organisation, double[] bbox, int limit) {
    }

    /** Writes the problems as a GeoJSON FeatureCollection, streamed row by row from a cursor. */
    public void writeList(ListQuery q, User caller, LocalDate today, JsonGenerator out) throws IOException {
        SqlFragment visible = ActionVisibility.visibleTo(caller, "a");
        SqlFragment box = SqlFragment.bbox(q.bbox());
        List<SqlFragment> where = new ArrayList<>();
        if (q.stages() != null && !q.stages().isEmpty()) {
            where.add(SqlFragment.of("p.stage = ANY (?::text[])", (Object) q.stages().toArray(String[]::new)));
        }
        if (q.owner() != null) {
            where.add(q.owner().equals("nap") ? SqlFragment.of("p.owner LIKE 'nap:%'") : SqlFragment.of("p.owner = ?", q.owner()));
        }
        if (q.organisation() != null) {
            // problems the organisation leads, or has an action on that the caller may see
            List<Object> params = new ArrayList<>();
            params.add(q.organisation());
            params.add(q.organisation());
            params.addAll(visible.params());
            where.add(new SqlFragment("lo.code = ? OR EXISTS (SELECT 1 FROM problem_action a JOIN partner_organisation ao "
                    + "ON ao.id = a.organisation_id WHERE a.problem_id = p.id AND ao.code = ? AND " + visible.sql() + ")", params));
        }
        if (!box.sql().isEmpty()) {
            where.add(SqlFragment.overlaps("p.geom", box));
            where.add(new SqlFragment("ST_Intersects(p.geom, " + box.sql() + ")", box.params()));
        }
        SqlFragment filter = SqlFragment.and(where);
        String open = "a.status IN ('open', 'in-progress', 'on-hold')";
        String sql = """
                SELECT jsonb_build_object('type', 'Feature', 'id', p.id,
                     'geometry', ST_AsGeoJSON(ST_Transform(p.geom, 4326), 6)::jsonb,
                     'properties', jsonb_build_object('id', p.id, 'title', p.title, 'stage', p.stage, 'owner', p.owner,
                         'categories', to_jsonb(p.categories), 'placeLabel', p.place_label,
                         'leadOrganisation', CASE WHEN lo.id IS NULL THEN NULL ELSE jsonb_build_object('code', lo.code, 'name', lo.name) END,
                         'startDate', p.start_date, 'reviewDate', p.review_date,
                         'openActions', (SELECT count(*) FROM problem_action a WHERE a.problem_id = p.id AND %1$s AND %2$s),
                         'overdueActions', (SELECT count(*) FROM problem_action a WHERE a.problem_id = p.id AND %1$s AND %2$s
                                            AND a.due < ?::date),
                         'escalation', CASE WHEN EXISTS (SELECT 1 FROM escalation e WHERE e.problem_id = p.id AND e.decision IS NULL)
                                            THEN 'pending' END,
                         'target', %3$s))::text
                FROM problem p LEFT JOIN partner_organisation lo ON lo.id = p.lead_organisation_id
                %4$s ORDER BY p.id LIMIT ?""".formatted(open, visible.sql(), TARGET_JSON,
                filter.sql().isEmpty() ? "" : "WHERE " + filter.sql());
        List<Object> params = new ArrayList<>(visible.params());
        params.addAll(visible.params());
        params.add(today);
        params.addAll(filter.params());
        params.add(q.limit());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // cursor-based fetching needs a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    // nothing is written before the query runs, so a database error is still a clean problem
                    out.writeStartObject();
                    out.writeStringField("type", "FeatureCollection");
                    out.writeArrayFieldStart("features");
                    while (rs.next()) out.writeRawValue(rs.getString(1));
                    out.writeEndArray();
                    out.writeEndObject();
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing problems failed", e);
        }
    }

    /** A problem's stored fields, read under lock for a change. */
    private record Current(String title, List<String> categories, JsonNode spec, String owner, Long leadId, String leadCode,
                           String stage, String objective, ProblemTarget target, LocalDate startDate, LocalDate reviewDate,
                           int revision) {
    }

    private static Optional<Current> lock(Connection c, long id) throws SQLException, IOException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT p.title, p.categories, p.place_spec::text, p.owner, p.lead_organisation_id, lo.code, p.stage, p.objective,
                       p.target_percent, p.target_months, p.target_baseline, p.target_start, p.start_date, p.review_date, p.revision
                FROM problem p LEFT JOIN partner_organisation lo ON lo.id = p.lead_organisation_id
                WHERE p.id = ? FOR UPDATE OF p""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                ProblemTarget target = rs.getBigDecimal(9) == null ? null : new ProblemTarget(rs.getBigDecimal(9).doubleValue(),
                        rs.getInt(10), rs.getString(11), rs.getObject(12, LocalDate.class));
                return Optional.of(new Current(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()),
                        JSON.readTree(rs.getString(3)), rs.getString(4), rs.getObject(5, Long.class), rs.getString(6),
                        rs.getString(7), rs.getString(8), target, rs.getObject(13, LocalDate.class),
                        rs.getObject(14, LocalDate.class), rs.getInt(15)));
            }
        }
    }

    /** The start date of a problem (for defaults of a change), or empty. */
    public Optional<LocalDate> startDate(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT start_date FROM problem WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, LocalDate.class)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading problem " + id + " failed", e);
        }
    }

    /**
     * Applies the given fields of {@code f} under a lock on the problem: {@code ifMatch} (null: any) must be
     * its revision (else 412 naming {@code If-Match}); a stage may move forward one step or back; closing
     * sets closedOn. Writes one 'changed' event with {@code {field: {from, to}}} when anything changed.
     * False when there is no problem {@code id}.
     */
    public boolean update(long id, ProblemFields f, Integer ifMatch, User by, LocalDate today) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<Current> found = lock(c, id);
                if (found.isEmpty()) {
                    c.rollback();
                    return false;
                }
                Current cur = found.get();
                if (ifMatch != null && ifMatch != cur.revision()) {
                    throw DomainException.preconditionFailed("If-Match", "the problem has changed (revision " + cur.revision()
                            + ", not " + ifMatch + "): read it again and repeat the change");
                }
                java.util.Set<String> given = f.given();
                String title = given.contains("title") ? f.title() : cur.title();
                List<String> categories = given.contains("categories") ? f.categories() : cur.categories();
                String owner = given.contains("owner") ? f.owner() : cur.owner();
                Long leadId = given.contains("leadOrganisation") ? f.leadOrganisationId() : cur.leadId();
                String leadCode = given.contains("leadOrganisation") ? f.leadOrganisationCode() : cur.leadCode();
                String stage = given.contains("stage") ? f.stage() : cur.stage();
                String objective = given.contains("objective") ? f.objective() : cur.objective();
                ProblemTarget target = given.contains("target") ? f.target() : cur.target();
                LocalDate review = given.contains("reviewDate") ? f.reviewDate() : cur.reviewDate();
                JsonNode spec = given.contains("area") ? f.place().spec() : cur.spec();
                ProblemStages.checkMove(cur.stage(), stage);
                if (review != null && review.isBefore(cur.startDate())) {
                    throw DomainException.invalid("reviewDate", "the review date cannot be before the start date " + cur.startDate());
                }
                ObjectNode changes = JSON.createObjectNode();
                change(changes, "title", cur.title(), title);
                change(changes, "categories", cur.categories(), categories);
                change(changes, "area", cur.spec(), spec);
                change(changes, "owner", cur.owner(), owner);
                change(changes, "leadOrganisation", cur.leadCode(), leadCode);
                change(changes, "stage", cur.stage(), stage);
                change(changes, "objective", cur.objective(), objective);
                change(changes, "target", targetJson(cur.target()), targetJson(target));
                change(changes, "reviewDate", cur.reviewDate() == null ? null : cur.reviewDate().toString(),
                        review == null ? null : review.toString());
                if (changes.isEmpty()) {
                    c.rollback();
                    return true;
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE problem SET title = ?, categories = ?::text[], owner = ?, lead_organisation_id = ?, stage = ?,
                               objective = ?, target_percent = ?, target_months = ?, target_baseline = ?, target_start = ?,
                               review_date = ?,
                               closed_on = CASE WHEN ? = 'closed' THEN coalesce(closed_on, ?) ELSE NULL END,
                               place_spec = coalesce(?::jsonb, place_spec), place_label = coalesce(?, place_label),
                               geom = coalesce(ST_Multi(ST_GeomFromEWKB(?)), geom),
                               updated_at = now(), revision = revision + 1
                        WHERE id = ?""")) {
                    int i = 1;
                    ps.setString(i++, title);
                    ps.setArray(i++, c.createArrayOf("text", categories.toArray()));
                    ps.setString(i++, owner);
                    ps.setObject(i++, leadId);
                    ps.setString(i++, stage);
                    ps.setString(i++, objective);
                    i = bindTarget(ps, i, target);
                    ps.setObject(i++, review);
                    ps.setString(i++, stage);
                    ps.setObject(i++, today);
                    boolean place = given.contains("area");
                    ps.setString(i++, place ? f.place().spec().toString() : null);
                    ps.setString(i++, place ? f.place().label() : null);
                    ps.setBytes(i++, place ? f.place().ewkb() : null);
                    ps.setLong(i, id);
                    ps.executeUpdate();
                }
                event(c, id, by.id(), "changed", changes, null);
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("changing problem " + id + " failed", e);
        }
    }

    private static JsonNode targetJson(ProblemTarget t) {
        return t == null ? null : JSON.valueToTree(java.util.Map.of("percent", t.percent(), "months", t.months(),
                "baseline", t.baseline(), "start", t.start().toString()));
    }

    private static void change(ObjectNode changes, String field, Object from, Object to) {
        JsonNode a = from == null ? JSON.nullNode() : JSON.valueToTree(from);
        JsonNode b = to == null ? JSON.nullNode() : JSON.valueToTree(to);
        if (Objects.equals(a, b)) return;
        ObjectNode c = changes.putObject(field);
        c.set("from", a);
        c.set("to", b);
    }

    // ---- escalations ----

    /**
     * Escalates a NAP-owned problem to the AIM group (idempotent with {@code key}): 404 without the problem,
     * 409 naming {@code owner} when the AIM group owns it, 409 naming {@code id} while one is pending.
     */
    public LoopRequests.Created escalate(long problemId, String reason, User by, String key, byte[] hash) {
        return LoopRequests.create(dataSource, by.id(), "escalation", key, hash, c -> {
            String owner;
            try (PreparedStatement ps = c.prepareStatement("SELECT owner FROM problem WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, problemId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw DomainException.notFound("id", "no problem " + problemId);
                    owner = rs.getString(1);
                }
            }
            if (!owner.startsWith("nap:")) {
                throw DomainException.conflict("owner", "only a problem owned by a NAP can be escalated; problem " + problemId
                        + " is owned by '" + owner + "'");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM escalation WHERE problem_id = ? AND decision IS NULL")) {
                ps.setLong(1, problemId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) throw DomainException.conflict("id", "problem " + problemId + " already has an escalation waiting for a decision");
                }
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO escalation (problem_id, from_owner, reason, raised_by) VALUES (?, ?, ?, ?) RETURNING id""")) {
                ps.setLong(1, problemId);
                ps.setString(2, owner);
                ps.setString(3, reason);
                ps.setLong(4, by.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            event(c, problemId, by.id(), "escalated", JSON.createObjectNode().put("escalation", id).put("from", owner), reason);
            return id;
        });
    }

    /**
     * Decides an escalation once: accepted moves the problem to the AIM group ('aim'), returned leaves it
     * with the NAP; both are logged on the problem. 404 without it, 409 naming {@code decision} when decided.
     */
    public void decide(long escalationId, String decision, String note, Long meetingId, User by) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long problemId;
                String from;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT problem_id, decision, from_owner FROM escalation WHERE id = ? FOR UPDATE")) {
                    ps.setLong(1, escalationId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) throw DomainException.notFound("id", "no escalation " + escalationId);
                        if (rs.getString(2) != null) {
                            throw DomainException.conflict("decision", "escalation " + escalationId + " was already " + rs.getString(2));
                        }
                        problemId = rs.getLong(1);
                        from = rs.getString(3);
                    }
                }
                if (meetingId != null) requireMeeting(c, meetingId);
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE escalation SET decision = ?, decision_note = ?, decided_by = ?, decided_at = now(), meeting_id = ?
                        WHERE id = ?""")) {
                    ps.setString(1, decision);
                    ps.setString(2, note);
                    ps.setLong(3, by.id());
                    ps.setObject(4, meetingId);
                    ps.setLong(5, escalationId);
                    ps.executeUpdate();
                }
                ObjectNode details = JSON.createObjectNode().put("escalation", escalationId);
                if (decision.equals("accepted")) {
                    String owner;
                    try (PreparedStatement ps = c.prepareStatement("SELECT owner FROM problem WHERE id = ? FOR UPDATE")) {
                        ps.setLong(1, problemId);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            owner = rs.getString(1);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE problem SET owner = 'aim', updated_at = now(), revision = revision + 1 WHERE id = ?")) {
                        ps.setLong(1, problemId);
                        ps.executeUpdate();
                    }
                    ObjectNode ownerChange = details.putObject("owner");
                    ownerChange.put("from", owner);
                    ownerChange.put("to", "aim");
                } else {
                    details.put("owner", from);
                }
                if (meetingId != null) details.put("meeting", meetingId);
                event(c, problemId, by.id(), decision, details, note);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("deciding escalation " + escalationId + " failed", e);
        }
    }

    static void requireMeeting(Connection c, long meetingId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM meeting WHERE id = ?")) {
            ps.setLong(1, meetingId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw DomainException.rejected("meeting", "no meeting " + meetingId, null);
            }
        }
    }

    /** One escalation as JSON, for {@code caller}, or empty. */
    public Optional<JsonNode> escalation(long id, User caller) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                EventAuthors.VIEWER + "SELECT (" + ESCALATION_JSON + ")::text FROM escalation e WHERE e.id = ?")) {
            ps.setBoolean(1, ActionVisibility.seesAll(caller));
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JSON.readTree(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("reading escalation " + id + " failed", e);
        }
    }
}
