package aim.indicators;

import aim.hotspots.FinancialQuarter;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A small generated resident survey for the demo borough, so the indicators panel and the ward profile
 * have survey waves to show: "feel safe after dark" and "feel safe during the day" per demo ward, one wave
 * in the middle month of each of the last eight complete financial quarters, n = 80–160 per ward and wave.
 * Deterministic (seeded), labelled demo in names, source and licence, and loaded through the same importer
 * as real survey files (so a second load replaces it).
 */
public final class DemoSurvey {
    public static final String SOURCE = "Generated demo survey (not real data)";

    private DemoSurvey() {
    }

    /** Loads the waves for the wards of the demo ward set; returns the number of values stored. */
    public static int load(DataSource dataSource, LocalDate today) throws IOException {
        List<String> wards = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT b.code FROM boundary b JOIN boundary_set s ON s.id = b.set_id
                WHERE s.level = 'ward' AND s.version = 'demo' ORDER BY b.code""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) wards.add(rs.getString(1));
        } catch (SQLException e) {
            throw new IOException("reading the demo wards failed: " + e.getMessage(), e);
        }
        Random random = new Random(12);
        StringBuilder csv = new StringBuilder("area,measure,period,value,n,name,direction,source,licence\n");
        FinancialQuarter last = FinancialQuarter.of(today).previous();
        for (int w = 0; w < wards.size(); w++) {
            double dark = 35 + random.nextDouble() * 30, day = 75 + random.nextDouble() * 18;
            double trend = (random.nextDouble() - 0.4) * 2.5; // points per quarter
            FinancialQuarter q = last;
            for (int k = 0; k < 8; k++) q = q.previous();
            for (int k = 0; k < 8; k++) {
                q = q.next();
                LocalDate wave = q.firstMonth().plusMonths(1).atDay(15);
                int n = 80 + random.nextInt(81);
                csv.append(row(wards.get(w), "demo-feel-safe-dark", wave, clamp(dark + trend * k + random.nextGaussian() * 3), n,
                        "Feel safe outside after dark (demo)"));
                csv.append(row(wards.get(w), "demo-feel-safe-day", wave, clamp(day + random.nextGaussian() * 2), n,
                        "Feel safe outside during the day (demo)"));
            }
        }
        IndicatorImportReport report = new IndicatorImporter(new IndicatorRepository(dataSource)).importCsv(new StringReader(csv.toString()),
                new IndicatorImporter.Options(IndicatorKind.SURVEY, List.of(), "demo survey", true));
        if (report.rejected() > 0) throw new IllegalStateException("the demo survey has bad rows: " + report.issues());
        return report.imported();
    }

    private static String row(String ward, String measure, LocalDate wave, double value, int n, String name) {
        return String.format(Locale.ROOT, "%s,%s,%s,%.1f,%d,%s,up,%s,demo data\n", ward, measure, wave, value, n, name, SOURCE);
    }

    private static double clamp(double v) {
        return Math.max(1, Math.min(99, v));
    }
}
