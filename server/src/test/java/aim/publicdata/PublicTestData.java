package aim.publicdata;

import aim.DemoLoader;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The public view's test incidents over the demo geography (20 wards in code order, four neighbourhoods),
 * each group at its ward's point-on-surface (so each lies in one 500 m square):
 *
 * <ul>
 *   <li>burglaries in March 2025: ward 0 one, ward 1 three, ward 2 four, ward 3 five, ward 4 twelve; ward 3 one more in April;</li>
 *   <li>ward 5: only sensitive incidents (7 violence and sexual offences, 6 racially motivated), March 2025;</li>
 *   <li>ward 6: the only bicycle theft (March 2025);</li>
 *   <li>month-precise police anti-social behaviour rows for March 2025: ward 7 two, ward 8 six.</li>
 * </ul>
 */
public final class PublicTestData {
    /** Codes and labels of the sensitive categories, none of which a public answer may name. */
    public static final List<String> SENSITIVE = List.of("violence-and-sexual-offences", "Violence and sexual offences",
            "racially-motivated", "Racially motivated", "asb-neighbour-dispute", "neighbour dispute");

    private PublicTestData() {
    }

    /** Loads the demo geography and the incidents; returns the demo ward codes in code order. */
    public static List<String> load(DataSource dataSource, Path dir) throws Exception {
        new DemoLoader(dataSource, dir).loadIfMissing();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TEMP VIEW demo_ward AS
                    SELECT b.id, b.code, b.geom, row_number() OVER (ORDER BY b.code) - 1 AS n
                    FROM boundary b JOIN boundary_set s ON s.id = b.set_id WHERE s.level = 'ward' AND s.version = 'demo';
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'council', x.category, (x.day + d - 1)::timestamp AT TIME ZONE 'Europe/London' + interval '10 hours', 'day',
                           ST_PointOnSurface(w.geom), 'exact', x.category || '-' || w.n || '-' || x.day || '-' || d
                    FROM demo_ward w
                    JOIN (VALUES (0, 'burglary', date '2025-03-02', 1), (1, 'burglary', date '2025-03-02', 3),
                                 (2, 'burglary', date '2025-03-02', 4), (3, 'burglary', date '2025-03-02', 5),
                                 (3, 'burglary', date '2025-04-09', 1), (4, 'burglary', date '2025-03-02', 12),
                                 (5, 'violence-and-sexual-offences', date '2025-03-02', 7), (5, 'racially-motivated', date '2025-03-02', 6),
                                 (6, 'bicycle-theft', date '2025-03-20', 1)) x(ward, category, day, n) ON x.ward = w.n
                    CROSS JOIN LATERAL generate_series(1, x.n) d;
                    INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, external_key)
                    SELECT 'police', 'anti-social-behaviour', timestamptz '2025-03-01 00:00+00', 'month',
                           ST_SnapToGrid(ST_PointOnSurface(w.geom), 1), 'snapped', 'asb-' || w.n || '-' || d
                    FROM demo_ward w CROSS JOIN LATERAL generate_series(1, CASE w.n WHEN 7 THEN 2 ELSE 6 END) d WHERE w.n IN (7, 8);
                    DROP VIEW demo_ward;
                    """);
        }
        List<String> wards = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                     WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code""")) {
            while (rs.next()) wards.add(rs.getString(1));
        }
        return wards;
    }
}
