package aim.db;

import java.util.ArrayList;
import java.util.List;

/**
 * A piece of SQL with its bound parameters, so dynamic parts of a query (filters, paging) are
 * built from small methods and never by pasting request values into SQL text.
 */
public record SqlFragment(String sql, List<Object> params) {

    public static SqlFragment of(String sql, Object... params) {
        return new SqlFragment(sql, List.of(params));
    }

    public static final SqlFragment EMPTY = new SqlFragment("", List.of());

    /**
     * A WGS84 box (minLon, minLat, maxLon, maxLat, degrees) as a geometry in the stored SRID
     * (EPSG:27700), transformed once so that the spatial index on stored geometries is used; empty
     * when there is no box.
     */
    public static SqlFragment bbox(double[] wgs84) {
        if (wgs84 == null) return EMPTY;
        return of("ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 4326), 27700)", wgs84[0], wgs84[1], wgs84[2], wgs84[3]);
    }

    /** {@code column && box}: the rows whose geometry's bounding box meets {@code box}; empty when the box is. */
    public static SqlFragment overlaps(String column, SqlFragment box) {
        if (box.sql().isEmpty()) return box;
        return new SqlFragment(column + " && " + box.sql(), box.params());
    }

    /** Joins the non-empty fragments with {@code AND}. */
    public static SqlFragment and(List<SqlFragment> parts) {
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (SqlFragment p : parts) {
            if (p.sql().isEmpty()) continue;
            if (sql.length() > 0) sql.append(" AND ");
            sql.append('(').append(p.sql()).append(')');
            params.addAll(p.params());
        }
        return new SqlFragment(sql.toString(), params);
    }
}
