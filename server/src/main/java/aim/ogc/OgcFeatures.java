package aim.ogc;

import aim.accounts.User;
import aim.db.SqlFragment;
import aim.incidents.Redaction;
import aim.problems.ActionVisibility;
import com.fasterxml.jackson.core.JsonGenerator;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The features of the OGC collections, read from PostGIS: each collection is a row source (a subquery
 * aliased {@code t} with a feature id {@code fid}, a geometry {@code geom} in EPSG:27700 and one column per
 * field), and one query shape pages over it: bbox (index-friendly, in the stored CRS), datetime, equality
 * filters, stable order by {@code fid}, limit and offset (or keyset after an id). PostGIS writes each
 * feature's JSON, in CRS84 or EPSG:27700, and the rows are streamed from a cursor.
 */
public final class OgcFeatures {
    private static final int FETCH_SIZE = 500;

    /** Boundaries of the given sets (ids), with their level and version. */
    private static final String BOUNDARIES = """
            (SELECT b.id AS fid, b.geom, b.code, b.name, s.level, s.version, b.area_m2
             FROM boundary b JOIN boundary_set s ON s.id = b.set_id
             WHERE b.set_id = ANY (?::bigint[])) t""";

    /** Places and services that are not retired; people assets never. */
    private static final String ASSETS = """
            (SELECT a.id AS fid, a.geom, a.id, a.uid::text AS uid, a.kind, a.category, c.label AS category_label, a.name,
                    a.description, o.name AS organisation, a.venue, a.address::text AS address, a.url, a.email, a.phone, a.status,
                    a.fees, a.referral, a.last_checked
             FROM asset a JOIN asset_category c ON c.code = a.category LEFT JOIN organisation o ON o.id = a.organisation_id
             WHERE a.kind IN ('place', 'service') AND a.retired_at IS NULL) t""";

    /** Located incidents as the caller may see them: %s is {@link Redaction#incidents}, the only incident table read. */
    private static final String INCIDENTS = """
            (SELECT i.id AS fid, i.geom, i.id, i.source, i.category, c.label AS category_label, c.sensitive, i.occurred_at,
                    i.occurred_precision, i.location_precision, i.accuracy_m, i.location_text, i.area_code, i.status, i.outcome,
                    i.recorded_at, i.fly_size, i.fly_waste_type, i.fly_land_type, i.description, i.reporter_name, i.reporter_contact
             FROM %s JOIN incident_category c ON c.code = i.category
             WHERE i.geom IS NOT NULL) t""";

    /** Problems, with the number of their actions the caller may see (%s: {@link ActionVisibility#visibleTo}). */
    private static final String PROBLEMS = """
            (SELECT p.id AS fid, p.geom, p.id, p.title, p.stage, p.owner, array_to_string(p.categories, ',') AS categories,
                    p.place_label, lo.code AS lead_organisation, p.start_date, p.review_date, p.closed_on,
                    (SELECT count(*) FROM problem_action a WHERE a.problem_id = p.id AND %s) AS visible_actions
             FROM problem p LEFT JOIN partner_organisation lo ON lo.id = p.lead_organisation_id) t""";

    /** Hotspot cells given as arrays (%s: the cell polygon of {@code c.i, c.j}). */
    private static final String HOTSPOTS = """
            (SELECT c.i || '_' || c.j AS fid, %s AS geom, c.i || '_' || c.j AS cell, c.i, c.j, c.count, c.z, c.p, c.bin,
                    ?::text AS quarter, ?::date AS "from", ?::date AS "to"
             FROM unnest(?::int[], ?::int[], ?::bigint[], ?::float8[], ?::float8[], ?::int[]) AS c(i, j, count, z, p, bin)) t""";

    private final DataSource dataSource;

    public OgcFeatures(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The row source of a collection, ready for {@link #count} and {@link #write}. */
    public record Source(OgcCollection collection, SqlFragment rows, String timeColumn) {
    }

    public static Source boundaries(OgcCollection collection, List<Long> setIds) {
        return new Source(collection, SqlFragment.of(BOUNDARIES, (Object) setIds.toArray(Long[]::new)), null);
    }

    public static Source assets() {
        return new Source(OgcCollection.ASSETS, SqlFragment.of(ASSETS), null);
    }

    /** {@code near}: the request's box in EPSG:27700 (or empty), for the redaction's index prefilter. */
    public static Source incidents(User caller, SqlFragment near) {
        SqlFragment table = Redaction.incidents(caller, near);
        return new Source(OgcCollection.INCIDENTS, new SqlFragment(INCIDENTS.formatted(table.sql()), table.params()), "occurred_at");
    }

    public static Source problems(User caller) {
        SqlFragment visible = ActionVisibility.visibleTo(caller, "a");
        return new Source(OgcCollection.PROBLEMS, new SqlFragment(PROBLEMS.formatted(visible.sql()), visible.params()), null);
    }

    /** Hotspot cells: the polygon of a cell is {@code polygon} over {@code c.i, c.j}. */
    public static Source hotspots(HotspotGrid grid) {
        List<Object> params = new ArrayList<>(grid.polygon().params());
        params.addAll(List.of(grid.quarter(), grid.from(), grid.to(), grid.i(), grid.j(), grid.count(), grid.z(), grid.p(), grid.bin()));
        return new Source(OgcCollection.HOTSPOTS, new SqlFragment(HOTSPOTS.formatted(grid.polygon().sql()), params), null);
    }

    /**
     * A page request: {@code box} is the bbox in EPSG:27700 ({@link SqlFragment#EMPTY} for none, null for a box
     * that meets nothing); {@code after}, when not null, pages by id instead of {@code offset}.
     */
    public record Query(Source source, SqlFragment box, OgcDatetime datetime, Map<String, String> filters, OgcCrs crs,
                        int limit, long offset, Long after) {
    }

    /** What {@link #write} wrote: how many features, whether there are more, and the last feature's id. */
    public record Page(int returned, boolean more, String lastId) {
    }

    /** Writes the members around the features array (before: type, timeStamp …; after: numberReturned, links …). */
    @FunctionalInterface
    public interface Members {
        void write(JsonGenerator out, Page page) throws IOException;
    }

    /** How many features match the query's conditions (numberMatched). */
    public long count(Query q) {
        SqlFragment where = where(q, false);
        String sql = "SELECT count(*) FROM " + q.source().rows().sql() + where.sql();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, q.source().rows().params(), where.params());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting " + q.source().collection().id() + " failed", e);
        }
    }

    /**
     * Streams one page as a FeatureCollection: {@code before} writes members after {@code type}, the features
     * follow, then {@code after} with the page. Nothing is written before the query runs.
     */
    public Page write(Query q, JsonGenerator out, Members before, Members after) throws IOException {
        SqlFragment where = where(q, true);
        String sql = "SELECT " + feature(q) + ", t.fid::text FROM " + q.source().rows().sql() + where.sql()
                + " ORDER BY t.fid LIMIT ? OFFSET ?";
        List<Object> tail = List.of(q.limit() + 1, q.after() == null ? q.offset() : 0L);
        int written = 0;
        String lastId = null;
        boolean more = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // cursor-based fetching needs a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                bind(ps, 1, q.source().rows().params(), where.params(), tail);
                try (ResultSet rs = ps.executeQuery()) {
                    out.writeStartObject();
                    out.writeStringField("type", "FeatureCollection");
                    before.write(out, null);
                    out.writeArrayFieldStart("features");
                    while (rs.next()) {
                        if (written == q.limit()) {
                            more = true;
                            break;
                        }
                        out.writeRawValue(rs.getString(1));
                        lastId = rs.getString(2);
                        written++;
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + q.source().collection().id() + " failed", e);
        }
        out.writeEndArray();
        Page page = new Page(written, more, lastId);
        after.write(out, page);
        out.writeEndObject();
        return page;
    }

    /**
     * The CRS84 box (minLon, minLat, maxLon, maxLat) of the boundaries of the given sets, or null when they have
     * none: the extent every collection gives (AIM's data lies in the borough of its current wards).
     */
    public double[] extent(List<Long> setIds) {
        String sql = "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(ST_Transform(b.geom, 4326)) AS e "
                + "FROM boundary b WHERE b.set_id = ANY (?::bigint[])) x";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, List.of((Object) setIds.toArray(Long[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getObject(1) == null) return null;
                return new double[]{rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the extent failed", e);
        }
    }

    /** Writes the feature {@code id} (in the crs) as JSON; false when there is none. */
    public boolean writeOne(Source source, String id, OgcCrs crs, JsonGenerator out) throws IOException {
        Object key = id;
        if (source.collection().numericIds()) {
            try {
                key = Long.parseLong(id);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        Query q = new Query(source, SqlFragment.EMPTY, null, Map.of(), crs, 1, 0, null);
        String sql = "SELECT " + feature(q) + " FROM " + source.rows().sql() + " WHERE t.fid = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, source.rows().params(), List.of(key));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return false;
                out.writeRawValue(rs.getString(1));
                return true;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading one of " + source.collection().id() + " failed", e);
        }
    }

    /** The feature's JSON, built by PostgreSQL: id, geometry in the crs, and every field of the collection in order. */
    private static String feature(Query q) {
        OgcCrs crs = q.crs();
        String geometry = crs == OgcCrs.BNG ? "t.geom" : "ST_Transform(t.geom, 4326)";
        StringBuilder properties = new StringBuilder("json_build_object(");
        boolean first = true;
        for (String field : q.source().collection().fields().keySet()) {
            if (!first) properties.append(", ");
            first = false;
            // the names are the collection's own (OgcCollection), never a request's
            properties.append('\'').append(field).append("', t.\"").append(field).append('"');
        }
        properties.append(')');
        return "json_build_object('type', 'Feature', 'id', t.fid, 'geometry', ST_AsGeoJSON(" + geometry + ", " + crs.decimals()
                + ", 0)::json, 'properties', " + properties + ")::text";
    }

    /** {@code WHERE …} for the query's conditions (with the keyset condition when {@code paging}). */
    private static SqlFragment where(Query q, boolean paging) {
        List<SqlFragment> parts = new ArrayList<>();
        if (q.box() == null) {
            parts.add(SqlFragment.of("false"));
        } else if (!q.box().sql().isEmpty()) {
            List<Object> params = new ArrayList<>(q.box().params());
            params.addAll(q.box().params());
            parts.add(new SqlFragment("t.geom && " + q.box().sql() + " AND ST_Intersects(t.geom, " + q.box().sql() + ")", params));
        }
        String time = q.source().timeColumn();
        if (time != null && q.datetime() != null) {
            if (q.datetime().start() != null) parts.add(SqlFragment.of("t." + time + " >= ?", Timestamp.from(q.datetime().start())));
            if (q.datetime().end() != null) parts.add(SqlFragment.of("t." + time + " <= ?", Timestamp.from(q.datetime().end())));
        }
        for (var filter : q.filters().entrySet()) {
            // the name is one of the collection's queryables (checked by the controller); the value is bound
            parts.add(SqlFragment.of("t.\"" + filter.getKey() + "\"::text = ?", filter.getValue()));
        }
        if (paging && q.after() != null) parts.add(SqlFragment.of("t.fid > ?", q.after()));
        SqlFragment all = SqlFragment.and(parts);
        return all.sql().isEmpty() ? all : new SqlFragment(" WHERE " + all.sql(), all.params());
    }

    @SafeVarargs
    private static void bind(PreparedStatement ps, int at, List<Object>... lists) throws SQLException {
        for (List<Object> list : lists) {
            for (Object v : list) {
                if (v instanceof Object[] array) {
                    String type = array instanceof Long[] ? "bigint" : array instanceof Integer[] ? "int4"
                            : array instanceof Double[] ? "float8" : "text";
                    ps.setArray(at++, ps.getConnection().createArrayOf(type, array));
                } else {
                    ps.setObject(at++, v);
                }
            }
        }
    }
}
