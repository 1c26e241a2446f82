package aim.places;

import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The place search: areas of the current boundary sets (wards, their neighbourhoods, zones, LSOAs) by code
 * or name, gazetteer streets and places by name, postcodes by their start ("ts1 2ab" finds "TS1 2AB") and a
 * postcode district ("TS1") as the extent of its postcodes. When the text finds nothing, names spelt alike
 * (pg_trgm word similarity, as the directory search's suggestions) are the answer instead.
 */
public final class PlaceRepository {
    /** Word similarity from which a name counts as spelt like the text ("Linthorp" / "Linthorpe Road"). */
    static final double SIMILAR = 0.4;
    private static final String ORDER = "ARRAY['ward','neighbourhood','postcode-district','postcode','place','street','zone','lsoa']";

    // each part ordered and cut to the limit on its own, so a short postcode prefix never sorts a whole district
    private static final String AREAS = """
            (SELECT s.level AS kind, b.code, b.name, NULL::text AS context, b.geom AS extent, ST_PointOnSurface(b.geom) AS centre,
                    CASE WHEN upper(b.code) = ? THEN 0 WHEN lower(b.name) = ? THEN 1 WHEN lower(b.name) LIKE ? THEN 2 ELSE 3 END AS rank,
                    coalesce(s.attribution, s.source) AS source, NULL::text AS licence
             FROM boundary b JOIN boundary_set s ON s.id = b.set_id
             WHERE b.set_id = ANY (?) AND (upper(b.code) = ? OR b.name ILIKE ?)
             ORDER BY rank, length(b.name), b.name LIMIT ?)
            """;
    private static final String NAMES = """
            (SELECT g.kind, NULL::text AS code, g.name, g.context, coalesce(g.extent, g.geom) AS extent, g.geom AS centre,
                    CASE WHEN g.search_key = ? THEN 1 WHEN g.search_key LIKE ? THEN 2 ELSE 3 END AS rank, g.source, g.licence
             FROM gazetteer g
             WHERE g.kind <> 'postcode' AND (g.search_key LIKE ? %s)
             ORDER BY rank, length(g.name), g.name LIMIT ?)
            """;
    private static final String POSTCODES = """
            (SELECT 'postcode' AS kind, g.name AS code, g.name, g.context, g.geom AS extent, g.geom AS centre,
                    CASE WHEN g.search_key = ? THEN 0 ELSE 4 END AS rank, g.source, g.licence
             FROM gazetteer g
             WHERE g.kind = 'postcode' AND g.search_key LIKE ?
             ORDER BY rank, g.search_key LIMIT ?)
            """;
    private static final String DISTRICT = """
            (SELECT 'postcode-district' AS kind, g.district AS code, g.district AS name, min(g.context) AS context,
                    ST_Envelope(ST_Collect(g.geom)) AS extent, ST_Centroid(ST_Collect(g.geom)) AS centre, 1 AS rank,
                    min(g.source) AS source, min(g.licence) AS licence
             FROM gazetteer g
             WHERE g.kind = 'postcode' AND g.district = ?
             GROUP BY g.district)
            """;
    private static final String ANSWER = """
            SELECT h.kind, h.code, h.name, h.context, ST_X(c.p), ST_Y(c.p),
                   ST_XMin(c.box), ST_YMin(c.box), ST_XMax(c.box), ST_YMax(c.box), h.source, h.licence
            FROM (%s) h
            CROSS JOIN LATERAL (SELECT ST_Transform(h.centre, 4326) AS p,
                                       ST_Transform(ST_Envelope(h.extent), 4326)::box2d AS box) c
            ORDER BY %s, array_position(%s, h.kind), length(h.name), h.name
            LIMIT ?
            """;
    // suggestions: the function form ranks, the <% operator (threshold set for the transaction) lets the trigram indexes find them
    private static final String SIMILAR_AREAS = """
            (SELECT s.level AS kind, b.code, b.name, NULL::text AS context, b.geom AS extent, ST_PointOnSurface(b.geom) AS centre,
                    word_similarity(?, b.name) AS rank, coalesce(s.attribution, s.source) AS source, NULL::text AS licence
             FROM boundary b JOIN boundary_set s ON s.id = b.set_id
             WHERE b.set_id = ANY (?) AND ? <% b.name
             ORDER BY rank DESC LIMIT ?)
            """;
    private static final String SIMILAR_NAMES = """
            (SELECT g.kind, NULL::text AS code, g.name, g.context, coalesce(g.extent, g.geom) AS extent, g.geom AS centre,
                    word_similarity(?, g.name) AS rank, g.source, g.licence
             FROM gazetteer g
             WHERE g.kind <> 'postcode' AND ? <% g.name
             ORDER BY rank DESC LIMIT ?)
            """;

    /** What a search found; {@code suggestions} when these are names spelt like the text, not matches. */
    public record Found(List<Place> places, boolean suggestions) {
    }

    private final DataSource dataSource;
    private final BoundaryRepository boundaries;

    public PlaceRepository(DataSource dataSource, BoundaryRepository boundaries) {
        this.dataSource = dataSource;
        this.boundaries = boundaries;
    }

    /** The sets searched: the current wards, their neighbourhoods, the current zones and LSOAs. */
    List<Long> currentSets() {
        List<Long> ids = new ArrayList<>();
        for (BoundarySet wards : boundaries.current(BoundaryLevel.WARD)) {
            ids.add(wards.id());
            boundaries.neighbourhoodsOf(wards).ifPresent(n -> ids.add(n.id()));
        }
        boundaries.current(BoundaryLevel.ZONE).forEach(s -> ids.add(s.id()));
        boundaries.current(BoundaryLevel.LSOA).forEach(s -> ids.add(s.id()));
        return ids;
    }

    /** Places for the text (2 to 100 characters, checked by the caller), best first, at most {@code limit}. */
    public Found search(String text, int limit) {
        String q = text.trim().replaceAll("\\s+", " ");
        String lower = q.toLowerCase(Locale.ROOT);
        String contains = "%" + like(q) + "%";
        String prefix = like(lower) + "%";
        Long[] sets = currentSets().toArray(Long[]::new);
        try (Connection c = dataSource.getConnection()) {
            List<Object> params = new ArrayList<>();
            List<String> parts = new ArrayList<>();
            parts.add(AREAS);
            params.addAll(List.of(q.toUpperCase(Locale.ROOT), lower, prefix, sets, q.toUpperCase(Locale.ROOT), contains, limit));
            // a name anywhere in a gazetteer name needs three letters for the trigram index; shorter text matches the start only
            boolean anywhere = q.length() >= 3;
            parts.add(NAMES.formatted(anywhere ? "OR g.name ILIKE ?" : ""));
            params.addAll(List.of(lower, prefix, prefix));
            if (anywhere) params.add(contains);
            params.add(limit);
            if (Postcodes.isStart(q)) {
                String key = Postcodes.key(q);
                parts.add(POSTCODES);
                params.addAll(List.of(key, like(key) + "%", limit));
            }
            if (Postcodes.isDistrict(q)) {
                parts.add(DISTRICT);
                params.add(Postcodes.key(q));
            }
            params.add(limit);
            List<Place> found = query(c, ANSWER.formatted(String.join(" UNION ALL ", parts), "h.rank", ORDER), params);
            if (!found.isEmpty()) return new Found(found, false);
            return new Found(similar(c, q, sets, limit), true);
        } catch (SQLException e) {
            throw new IllegalStateException("the place search failed", e);
        }
    }

    private List<Place> similar(Connection c, String q, Long[] sets, int limit) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('pg_trgm.word_similarity_threshold', ?, true)")) {
                ps.setString(1, Double.toString(SIMILAR));
                ps.execute();
            }
            List<Object> params = new ArrayList<>(List.of(q, sets, q, limit, q, q, limit, limit));
            List<Place> found = query(c, ANSWER.formatted(SIMILAR_AREAS + " UNION ALL " + SIMILAR_NAMES, "h.rank DESC", ORDER), params);
            c.commit();
            return found;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static List<Place> query(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p instanceof Long[] ids) ps.setArray(i + 1, c.createArrayOf("bigint", ids));
                else ps.setObject(i + 1, p);
            }
            List<Place> places = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double[] centre = {round(rs.getDouble(5)), round(rs.getDouble(6))};
                    double[] bbox = {round(rs.getDouble(7)), round(rs.getDouble(8)), round(rs.getDouble(9)), round(rs.getDouble(10))};
                    places.add(new Place(rs.getString(1), rs.getString(3), rs.getString(2), rs.getString(4), centre, bbox, rs.getString(11), rs.getString(12)));
                }
            }
            return places;
        }
    }

    /** Six decimals of a degree: about 0.1 m. */
    private static double round(double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }

    /** The text with LIKE's wildcards and escape character taken literally. */
    static String like(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
