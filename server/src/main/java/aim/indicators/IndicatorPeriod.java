package aim.indicators;

import aim.hotspots.FinancialQuarter;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period (or survey wave) an imported value is for, inclusive dates, as a file may write it:
 * a wave date {@code 2024-05-15} (a one-day period), a month {@code 2024-05}, a UK financial-year quarter
 * {@code Q1 24/25} (see {@link FinancialQuarter}), a financial year {@code 24/25} or {@code 2024/25}
 * (1 April – 31 March) or a calendar year {@code 2019}.
 */
public record IndicatorPeriod(LocalDate start, LocalDate end, String label) {
    private static final Pattern QUARTER = Pattern.compile("Q([1-4])\\s*(\\d{2})/(\\d{2})", Pattern.CASE_INSENSITIVE);
    private static final Pattern FINANCIAL_YEAR = Pattern.compile("(\\d{2}|\\d{4})/(\\d{2})");

    /** The period a cell names, or empty when it is none of the forms above. */
    public static Optional<IndicatorPeriod> parse(String text) {
        if (text == null) return Optional.empty();
        String v = text.trim();
        try {
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                LocalDate d = LocalDate.parse(v);
                return Optional.of(new IndicatorPeriod(d, d, d.toString()));
            }
            if (v.matches("\\d{4}-\\d{2}")) {
                YearMonth m = YearMonth.parse(v);
                return Optional.of(new IndicatorPeriod(m.atDay(1), m.atEndOfMonth(), m.toString()));
            }
            if (v.matches("\\d{4}")) {
                int y = Integer.parseInt(v);
                return Optional.of(new IndicatorPeriod(LocalDate.of(y, 1, 1), LocalDate.of(y, 12, 31), v));
            }
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        Matcher q = QUARTER.matcher(v);
        if (q.matches()) {
            int startYear = startYear(q.group(2), q.group(3));
            if (startYear < 0) return Optional.empty();
            FinancialQuarter fq = new FinancialQuarter(startYear, Integer.parseInt(q.group(1)));
            return Optional.of(new IndicatorPeriod(fq.start(), fq.end(), fq.label()));
        }
        Matcher fy = FINANCIAL_YEAR.matcher(v);
        if (fy.matches()) {
            int startYear = startYear(fy.group(1), fy.group(2));
            if (startYear < 0) return Optional.empty();
            FinancialQuarter first = new FinancialQuarter(startYear, 1);
            return Optional.of(new IndicatorPeriod(first.start(), new FinancialQuarter(startYear, 4).end(), first.financialYear()));
        }
        return Optional.empty();
    }

    /**
     * The calendar year a financial year {@code a/b} starts in: two digits are 20xx (1990s from 90 up),
     * and b must be the year after a; -1 otherwise.
     */
    private static int startYear(String a, String b) {
        int start = Integer.parseInt(a);
        if (a.length() == 2) start += start >= 90 ? 1900 : 2000;
        return Math.floorMod(start + 1, 100) == Integer.parseInt(b) ? start : -1;
    }
}
