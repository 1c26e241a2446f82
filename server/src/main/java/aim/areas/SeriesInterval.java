package aim.areas;

import aim.core.DomainException;
import aim.hotspots.FinancialQuarter;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;

/** The period of a time series: a calendar month ({@code 2024-04}) or a UK financial-year quarter ({@code Q1 24/25}). */
public enum SeriesInterval {
    MONTH, QUARTER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The request's {@code interval} (default month); anything else is a 400 problem naming the field. */
    public static SeriesInterval parse(String value) {
        if (value == null || value.isBlank()) return MONTH;
        for (SeriesInterval i : values()) if (i.id().equals(value.trim().toLowerCase(Locale.ROOT))) return i;
        throw DomainException.invalid("interval", "unknown interval '" + value + "': expected month or quarter");
    }

    /** First day of the period containing {@code date}. */
    LocalDate periodStart(LocalDate date) {
        return this == MONTH ? date.withDayOfMonth(1) : FinancialQuarter.of(date).start();
    }

    /** Last day of the period starting on {@code start}. */
    LocalDate periodEnd(LocalDate start) {
        return this == MONTH ? YearMonth.from(start).atEndOfMonth() : FinancialQuarter.of(start).end();
    }

    String label(LocalDate start) {
        return this == MONTH ? YearMonth.from(start).toString() : FinancialQuarter.of(start).label();
    }
}
