package aim.hotspots;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;

/**
 * A quarter of the UK financial year, which runs from 1 April to 31 March: Q1 is April–June, Q2
 * July–September, Q3 October–December and Q4 January–March of the following calendar year. Written
 * {@code Q1 24/25} (the financial year 2024/25 runs 1 Apr 2024 – 31 Mar 2025, so January–March 2025 is
 * {@code Q4 24/25}); years are two digits, so 1999/2000 is {@code 99/00}.
 *
 * @param startYear the calendar year in which the financial year starts (2024 for 2024/25)
 * @param quarter   1 to 4
 */
public record FinancialQuarter(int startYear, int quarter) implements Comparable<FinancialQuarter> {

    public FinancialQuarter {
        if (quarter < 1 || quarter > 4) throw new IllegalArgumentException("quarter must be 1 to 4, not " + quarter);
    }

    /** The quarter containing a date. */
    public static FinancialQuarter of(LocalDate date) {
        return of(YearMonth.from(date));
    }

    /** The quarter containing a month. */
    public static FinancialQuarter of(YearMonth month) {
        // shift the calendar so that April is month 0 of its financial year: Jan–Mar belong to the year before
        int monthsSinceApril = month.getMonthValue() - 4;
        int startYear = monthsSinceApril < 0 ? month.getYear() - 1 : month.getYear();
        return new FinancialQuarter(startYear, Math.floorMod(monthsSinceApril, 12) / 3 + 1);
    }

    /** {@code Q1 24/25}. */
    public String label() {
        return "Q" + quarter + " " + financialYear();
    }

    /** The financial year as written in labels: {@code 24/25}, {@code 99/00}. */
    public String financialYear() {
        return String.format(Locale.ROOT, "%02d/%02d", Math.floorMod(startYear, 100), Math.floorMod(startYear + 1, 100));
    }

    /** The first month of the quarter. */
    public YearMonth firstMonth() {
        return YearMonth.of(startYear, 4).plusMonths(3L * (quarter - 1));
    }

    /** The first day of the quarter. */
    public LocalDate start() {
        return firstMonth().atDay(1);
    }

    /** The last day of the quarter (inclusive). */
    public LocalDate end() {
        return firstMonth().plusMonths(2).atEndOfMonth();
    }

    public FinancialQuarter next() {
        return quarter == 4 ? new FinancialQuarter(startYear + 1, 1) : new FinancialQuarter(startYear, quarter + 1);
    }

    public FinancialQuarter previous() {
        return quarter == 1 ? new FinancialQuarter(startYear - 1, 4) : new FinancialQuarter(startYear, quarter - 1);
    }

    public boolean contains(LocalDate date) {
        return !date.isBefore(start()) && !date.isAfter(end());
    }

    @Override
    public int compareTo(FinancialQuarter o) {
        return startYear != o.startYear ? Integer.compare(startYear, o.startYear) : Integer.compare(quarter, o.quarter);
    }

    @Override
    public String toString() {
        return label();
    }
}
