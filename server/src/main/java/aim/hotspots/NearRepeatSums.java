package aim.hotspots;

import aim.core.Council;
import aim.db.SqlFragment;
import aim.incidents.IncidentFilter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The forecast's near-repeat read ({@link HotspotRepository#recentExactTimeSums}) in one pass over the
 * exact-time rows, with no join and no grouping by day: each row is put in its local day by a binary
 * search of the days' local midnights ({@code width_bucket}, as {@code rawSliceCounts} does), and the
 * database sums, per cell and per "next month start" (the first start after the row's day), the
 * weights of the row's day for that start and for the one after it. The weights per day are computed
 * once per query, with the expression the by-day query used, so each day's weight is the same number.
 * A day lies before at most two month starts within {@link Forecast#NEAR_REPEAT_DAYS} (56 days; three
 * consecutive month starts span at least 59), so each row adds to two sums at most.
 *
 * <p>The study area is tested with the 50 m squares' placement the rollups cache ({@link CellRollups.Placement}):
 * a row whose square lies inside the area needs no point-in-polygon test, one outside is dropped, and only
 * rows in squares the boundary cuts are tested as the raw query tests them. Without a placement the raw
 * test is made on every row.
 *
 * <p>Measured on 1,000,000 generated incidents (660,000 exact-time rows in the eight months a 100 m forecast
 * reads), in the same runs on a shared 2-core machine: 3.0–3.4 s against 9.0–11.1 s for the by-day query
 * ({@link HotspotRepository#recentExactTimeSumsByDay}), which grouped 550,000 (day, cell) rows, joined them to
 * 900,000 (start, day, cell) rows by a range condition and summed those; in psql, 0.8–1.4 s of database CPU
 * against 2.7–2.9 s. The sums agree with it to floating-point rounding (the additions come in another order):
 * {@code NearRepeatSumsEqualityTest}.
 */
final class NearRepeatSums {
    private NearRepeatSums() {
    }

    /**
     * The days read and, for each, the month starts within the near-repeat window after it: the starts
     * (non-null, by date) are {@code order}; a day's first start after it is {@code next[d]} (a position in
     * {@code order}, 1-based; 0 when none), and {@code ages[t][d]} is the age in days of the day's
     * incidents at start {@code next[d] − 1 + t}, or 0 when that start is over 56 days after it.
     */
    record Days(LocalDate first, int count, int[] order, int[] next, int[][] ages) {

        static Days of(LocalDate[] monthStarts) {
            List<Integer> present = new ArrayList<>();
            for (int k = 0; k < monthStarts.length; k++) if (monthStarts[k] != null) present.add(k);
            present.sort(Comparator.comparing(k -> monthStarts[k]));
            int[] order = present.stream().mapToInt(Integer::intValue).toArray();
            if (order.length == 0) return new Days(null, 0, order, new int[0], new int[0][0]);
            LocalDate first = monthStarts[order[0]].minusDays(Forecast.NEAR_REPEAT_DAYS);
            LocalDate last = monthStarts[order[order.length - 1]].minusDays(1);
            int count = (int) ChronoUnit.DAYS.between(first, last) + 1;
            int[] next = new int[count];
            List<int[]> ages = new ArrayList<>();
            for (int d = 0; d < count; d++) {
                LocalDate day = first.plusDays(d);
                int p = 0;
                while (p < order.length && !monthStarts[order[p]].isAfter(day)) p++;
                if (p == order.length) continue;
                next[d] = p + 1;
                for (int t = 0; p + t < order.length; t++) {
                    long age = ChronoUnit.DAYS.between(day, monthStarts[order[p + t]]);
                    if (age > Forecast.NEAR_REPEAT_DAYS) break;
                    if (t == ages.size()) ages.add(new int[count]);
                    ages.get(t)[d] = (int) age;
                }
            }
            return new Days(first, count, order, next, ages.toArray(int[][]::new));
        }

        /** The local midnights bounding the days ({@code count + 1}), as instants for {@code timestamptz[]}. */
        String[] midnights() {
            String[] m = new String[count + 1];
            for (int d = 0; d <= count; d++) m[d] = first.plusDays(d).atStartOfDay(Council.UK).toInstant().toString();
            return m;
        }
    }

    /**
     * The sums per month start and cell ({@link HotspotRepository.RecentSums} without its data version);
     * a start and cell may have two rows (from days whose first next start differs), which add up.
     */
    static HotspotRepository.RecentSums read(Connection c, Grid grid, IncidentFilter filter, byte[] area,
                                             CellRollups.Placement placement, LocalDate[] monthStarts) throws SQLException {
        Days days = Days.of(monthStarts);
        int slots = days.ages().length;
        double[] decays = Forecast.DECAY_DAYS;
        List<int[]> keys = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        if (slots > 0) {
            SqlFragment sql = query(grid, filter, area, placement, days, decays);
            try (PreparedStatement ps = c.prepareStatement(sql.sql())) {
                // no fetch size: the answer is a few sums per cell and month, read in one go
                for (int k = 0; k < sql.params().size(); k++) ps.setObject(k + 1, sql.params().get(k));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int next = rs.getInt(1), ci = rs.getInt(2), cj = rs.getInt(3);
                        if (next == 0) continue;
                        for (int t = 0; t < slots && next - 1 + t < days.order().length; t++) {
                            double[] v = new double[decays.length];
                            boolean any = false;
                            for (int d = 0; d < decays.length; d++) {
                                v[d] = rs.getDouble(4 + t * decays.length + d);
                                any |= v[d] != 0;
                            }
                            if (!any) continue;
                            keys.add(new int[]{days.order()[next - 1 + t], ci, cj});
                            values.add(v);
                        }
                    }
                }
            }
        }
        int n = keys.size();
        int[] start = new int[n], ci = new int[n], cj = new int[n];
        for (int r = 0; r < n; r++) {
            start[r] = keys.get(r)[0];
            ci[r] = keys.get(r)[1];
            cj[r] = keys.get(r)[2];
        }
        return new HotspotRepository.RecentSums(start, ci, cj, values.toArray(double[][]::new), null);
    }

    /**
     * One row per cell and next month start: the start's position, the cell, then per slot t (the next
     * start, the one after it) and decay time the sum of the rows' day weights. The rows come from an
     * inner query that reads each exact-time row of the days once, with its day and coordinates (kept
     * apart with {@code OFFSET 0}, so {@code ST_X}/{@code ST_Y} run once per row and not per use).
     */
    private static SqlFragment query(Grid grid, IncidentFilter filter, byte[] area, CellRollups.Placement placement,
                                     Days days, double[] decays) {
        List<Object> params = new ArrayList<>();
        StringBuilder sums = new StringBuilder();
        params.add(boxed(days.next()));
        for (int[] ages : days.ages()) {
            for (double decay : decays) {
                // the by-day query's weight expression, over the day's age (0: no start in reach, weight 0)
                sums.append(", sum((SELECT array_agg(CASE WHEN u.a > 0 THEN exp(-((u.a) - 0.5) / ?::float8) ELSE 0 END ORDER BY u.n)"
                        + " FROM unnest(?::int[]) WITH ORDINALITY AS u(a, n))[i.d])");
                params.add(decay);
                params.add(boxed(ages));
            }
        }
        SqlFragment areaGeometry = SqlFragment.of("ST_GeomFromEWKB(?)", (Object) area);
        SqlFragment incidents = filter.incidents(areaGeometry);
        SqlFragment where = SqlFragment.and(List.of(filter.located(),
                SqlFragment.of("i.occurred_precision <> 'month'"),
                SqlFragment.of("i.occurred_at >= ? AND i.occurred_at < ?", midnight(days.first()), midnight(days.first().plusDays(days.count()))),
                SqlFragment.of("i.geom && ST_GeomFromEWKB(?)", (Object) area)));
        String rows = """
                (SELECT width_bucket(i.occurred_at, (SELECT ?::timestamptz[])) AS d, ST_X(i.geom) AS x, ST_Y(i.geom) AS y, i.geom
                 FROM %s
                 WHERE %s
                 OFFSET 0) i""".formatted(incidents.sql(), where.sql());
        List<Object> rowParams = new ArrayList<>();
        rowParams.add(days.midnights());
        rowParams.addAll(incidents.params());
        rowParams.addAll(where.params());
        SqlFragment from = grid instanceof SquareGrid square
                ? new SqlFragment(rows + " CROSS JOIN LATERAL (SELECT floor(i.x / ?)::int AS ci, floor(i.y / ?)::int AS cj) c",
                        concat(rowParams, square.size(), square.size()))
                : grid.incidentsWithCells(new SqlFragment(rows, rowParams));
        SqlFragment inArea = inArea(area, placement);
        String sql = "SELECT (SELECT ?::int[])[i.d], c.ci, c.cj" + sums + " FROM " + from.sql() + " WHERE " + inArea.sql()
                + " GROUP BY 1, 2, 3";
        params.addAll(from.params());
        params.addAll(inArea.params());
        return new SqlFragment(sql, params);
    }

    /**
     * Whether row {@code i} (its point {@code i.geom}, coordinates {@code i.x}, {@code i.y}) lies in the study
     * area, as {@code ST_Intersects(i.geom, area)} answers: by its 50 m square's place when there is a placement
     * (the square of {@code floor(x / 50)}, {@code floor(y / 50)}, as the rollups number them: INSIDE squares
     * are covered by the area, OUTSIDE ones do not meet it), testing the point only in CUT squares.
     */
    private static SqlFragment inArea(byte[] area, CellRollups.Placement placement) {
        if (placement == null) return SqlFragment.of("ST_Intersects(i.geom, ST_GeomFromEWKB(?))", (Object) area);
        String sql = """
                CASE WHEN floor(i.x / 50)::int < ? OR floor(i.x / 50)::int >= ? OR floor(i.y / 50)::int < ? OR floor(i.y / 50)::int >= ? THEN false
                     ELSE CASE get_byte(?::bytea, (floor(i.x / 50)::int - ?) * ? + (floor(i.y / 50)::int - ?))
                          WHEN 1 THEN true WHEN 2 THEN ST_Intersects(i.geom, ST_GeomFromEWKB(?)) ELSE false END
                END""";
        int minI = placement.minI(), minJ = placement.minJ();
        return SqlFragment.of(sql, minI, minI + placement.width(), minJ, minJ + placement.height(),
                placement.squares(), minI, placement.height(), minJ, area);
    }

    private static List<Object> concat(List<Object> params, Object... more) {
        List<Object> all = new ArrayList<>(params);
        all.addAll(Arrays.asList(more));
        return all;
    }

    private static Integer[] boxed(int[] values) {
        return Arrays.stream(values).boxed().toArray(Integer[]::new);
    }

    private static OffsetDateTime midnight(LocalDate date) {
        return OffsetDateTime.ofInstant(date.atStartOfDay(Council.UK).toInstant(), ZoneOffset.UTC);
    }
}
