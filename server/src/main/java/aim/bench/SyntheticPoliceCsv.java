package aim.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a synthetic data.police.uk street-level CSV (the real header and quirks) over a
 * Middlesbrough-sized box, WGS84 longitude −1.30 … −1.15, latitude 54.50 … 54.58: crime types in
 * roughly the real mix, anonymised snap points shared by many rows, anti-social behaviour rows
 * without a Crime ID (identical ones included), and a few rows without a location. The same seed
 * gives the same file. Generated data, not real. The snap points can also be given ({@link SnapPoints}),
 * e.g. spread over the wards of the whole country.
 */
public final class SyntheticPoliceCsv {
    static final double MIN_LON = -1.30, MAX_LON = -1.15, MIN_LAT = 54.50, MAX_LAT = 54.58;
    static final String HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
            + "Crime type,Last outcome category,Context";
    private static final String FORCE = "Cleveland Police";
    private static final int SNAP_POINTS = 8_000, LSOAS = 86, MONTHS = 12;
    /** Crime types and their weights (per mille), close to a real force's year. */
    private static final String[] TYPES = {"Anti-social behaviour", "Violence and sexual offences", "Criminal damage and arson",
            "Shoplifting", "Other theft", "Public order", "Burglary", "Vehicle crime", "Other crime", "Drugs", "Bicycle theft",
            "Theft from the person", "Possession of weapons", "Robbery"};
    private static final int[] WEIGHTS = {210, 330, 125, 67, 65, 56, 54, 38, 22, 17, 6, 4, 3, 3};
    private static final String[] OUTCOMES = {"Investigation complete; no suspect identified", "Unable to prosecute suspect",
            "Status update unavailable", "Awaiting court outcome", "Local resolution", "Offender given a caution",
            "Further investigation is not in the public interest", "Under investigation"};

    private SyntheticPoliceCsv() {
    }

    /**
     * The anonymised points rows are snapped to, each with the LSOA code and name its rows carry; a row
     * picks one at random, so every point gets about the same share of the rows.
     */
    public record SnapPoints(String[] lon, String[] lat, String[] lsoaCode, String[] lsoaName) {
        /** 8,000 points at random over the Middlesbrough-sized box, in its 86 LSOAs. */
        static SnapPoints inBox(Random random) {
            String[] lon = new String[SNAP_POINTS], lat = new String[SNAP_POINTS], code = new String[SNAP_POINTS], name = new String[SNAP_POINTS];
            for (int i = 0; i < SNAP_POINTS; i++) {
                lon[i] = String.format(Locale.ROOT, "%.6f", MIN_LON + random.nextDouble() * (MAX_LON - MIN_LON));
                lat[i] = String.format(Locale.ROOT, "%.6f", MIN_LAT + random.nextDouble() * (MAX_LAT - MIN_LAT));
                int lsoa = random.nextInt(LSOAS);
                code[i] = String.format(Locale.ROOT, "E0101%04d", 2_000 + lsoa);
                name[i] = "Middlesbrough " + String.format(Locale.ROOT, "%03d", lsoa / 4 + 1) + (char) ('A' + lsoa % 4);
            }
            return new SnapPoints(lon, lat, code, name);
        }

        int size() {
            return lon.length;
        }
    }

    public static void write(Path file, long rows, long seed) throws IOException {
        write(file, rows, seed, java.time.YearMonth.of(2023, 1), MONTHS);
    }

    /** {@code rows} rows spread evenly over {@code months} months from {@code first}, in month order. */
    public static void write(Path file, long rows, long seed, java.time.YearMonth first, int months) throws IOException {
        Random random = new Random(seed);
        write(file, rows, random, first, months, SnapPoints.inBox(random));
    }

    /** {@code rows} rows over the given snap points, spread evenly over {@code months} months from {@code first}, in month order. */
    public static void write(Path file, long rows, long seed, java.time.YearMonth first, int months, SnapPoints points) throws IOException {
        write(file, rows, new Random(seed), first, months, points);
    }

    private static void write(Path file, long rows, Random random, java.time.YearMonth first, int months, SnapPoints points) throws IOException {
        int snapPoints = points.size();
        int[] cumulative = new int[WEIGHTS.length];
        for (int i = 0, sum = 0; i < WEIGHTS.length; i++) cumulative[i] = sum += WEIGHTS[i];
        int total = cumulative[cumulative.length - 1];
        StringBuilder row = new StringBuilder(256);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (long r = 0; r < rows; r++) {
                // files are in month order, as a year of monthly files concatenated
                String month = first.plusMonths(r * months / rows).toString();
                int pick = random.nextInt(total), type = 0;
                while (pick >= cumulative[type]) type++;
                boolean asb = type == 0;
                boolean noLocation = random.nextInt(2_000) == 0;
                int p = random.nextInt(snapPoints);
                row.setLength(0);
                if (!asb) hex(random, row);
                row.append(',').append(month).append(',').append(FORCE).append(',').append(FORCE).append(',');
                if (noLocation) {
                    row.append(",,No Location,,,");
                } else {
                    row.append(points.lon()[p]).append(',').append(points.lat()[p]).append(",On or near Street ").append(p % 2_500 + 1)
                            .append(',').append(points.lsoaCode()[p]).append(',').append(points.lsoaName()[p]).append(',');
                }
                row.append(TYPES[type]).append(',');
                if (!asb) {
                    String outcome = OUTCOMES[random.nextInt(OUTCOMES.length)];
                    if (outcome.indexOf(';') >= 0 || outcome.indexOf(',') >= 0) row.append('"').append(outcome).append('"');
                    else row.append(outcome);
                }
                row.append(",\n");
                out.append(row);
            }
        }
    }

    private static void hex(Random random, StringBuilder out) {
        for (int i = 0; i < 4; i++) {
            String h = Long.toHexString(random.nextLong());
            for (int pad = h.length(); pad < 16; pad++) out.append('0');
            out.append(h);
        }
    }
}
