package aim.hotspots;

import aim.core.Council;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Consecutive whole time slices for space-time analysis: calendar months, or quarters of the UK
 * financial year ({@link FinancialQuarter}: Q1 is April–June). A window is widened to whole slices:
 * from the start of the slice holding {@code from} to the end of the slice holding {@code to}, so
 * month-precise police.uk rows always count in full. Incidents are assigned to a slice by their
 * {@code occurred_at} between the slices' {@link #boundaries()}, local midnights in Europe/London.
 */
public record TimeSlices(String interval, List<Slice> slices) {
    public static final List<String> INTERVALS = List.of("month", "quarter");

    /** One slice: a label such as {@code 2024-05} or {@code Q1 24/25} and its inclusive dates. */
    public record Slice(String label, LocalDate from, LocalDate to) {
    }

    public static TimeSlices of(String interval, LocalDate from, LocalDate to) {
        List<Slice> slices = new ArrayList<>();
        if (interval.equals("month")) {
            for (YearMonth m = YearMonth.from(from); !m.isAfter(YearMonth.from(to)); m = m.plusMonths(1)) {
                slices.add(new Slice(m.toString(), m.atDay(1), m.atEndOfMonth()));
            }
        } else if (interval.equals("quarter")) {
            FinancialQuarter last = FinancialQuarter.of(to);
            for (FinancialQuarter q = FinancialQuarter.of(from); q.compareTo(last) <= 0; q = q.next()) {
                slices.add(new Slice(q.label(), q.start(), q.end()));
            }
        } else {
            throw new IllegalArgumentException("interval is month or quarter, not " + interval);
        }
        return new TimeSlices(interval, List.copyOf(slices));
    }

    /**
     * The default window ending with the last complete slice before {@code today}: 24 months, or
     * 12 financial quarters (three years). Either end may be given ({@code null} otherwise).
     */
    public static TimeSlices defaultWindow(String interval, LocalDate from, LocalDate to, LocalDate today) {
        boolean month = interval.equals("month");
        if (to == null) {
            to = month ? YearMonth.from(today).minusMonths(1).atEndOfMonth() : FinancialQuarter.of(today).previous().end();
        }
        if (from == null) {
            from = month ? YearMonth.from(to).minusMonths(23).atDay(1) : FinancialQuarter.of(to).start().minusMonths(33);
        }
        return of(interval, from, to);
    }

    public int size() {
        return slices.size();
    }

    public LocalDate from() {
        return slices.get(0).from();
    }

    public LocalDate to() {
        return slices.get(slices.size() - 1).to();
    }

    /**
     * The instants where the slices start, and where the last one ends: local midnight in
     * Europe/London ({@code size() + 1} values, ascending).
     */
    public List<Instant> boundaries() {
        List<Instant> at = new ArrayList<>();
        for (Slice s : slices) at.add(s.from().atStartOfDay(Council.UK).toInstant());
        at.add(to().plusDays(1).atStartOfDay(Council.UK).toInstant());
        return at;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d %ss %s … %s", size(), interval, from(), to());
    }
}
