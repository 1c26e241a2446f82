package aim.ogc;

import aim.core.DomainException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The {@code datetime} of a features request: an instant ({@code 2025-03-10T10:00:00Z}), a date (the whole
 * UTC day), or an interval {@code start/end} whose ends are instants or dates and either may be open
 * ({@code ..} or empty). Both ends are inclusive; a date as an end covers its whole day. Null ends are open.
 */
public record OgcDatetime(Instant start, Instant end) {

    /** Instants outside years 1–9999 are refused (PostgreSQL's timestamps and RFC 3339 both end there). */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z"), LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public static OgcDatetime parse(String value) {
        if (value == null) return null;
        String v = value.strip();
        int slash = v.indexOf('/');
        if (slash < 0) {
            if (v.isEmpty() || v.equals("..")) throw invalid(value);
            return new OgcDatetime(instant(v, false, value), instant(v, true, value));
        }
        if (v.indexOf('/', slash + 1) >= 0) throw invalid(value);
        String a = v.substring(0, slash), b = v.substring(slash + 1);
        boolean openStart = a.isEmpty() || a.equals(".."), openEnd = b.isEmpty() || b.equals("..");
        if (openStart && openEnd) throw DomainException.invalid("datetime", "datetime must close at least one end of its interval, not '" + value + "'");
        Instant start = openStart ? null : instant(a, false, value);
        Instant end = openEnd ? null : instant(b, true, value);
        if (start != null && end != null && end.isBefore(start)) {
            throw DomainException.invalid("datetime", "datetime's interval ends before it starts: '" + value + "'");
        }
        return new OgcDatetime(start, end);
    }

    private static Instant instant(String s, boolean endOfDay, String whole) {
        try {
            if (s.length() == 10) {
                LocalDate d = LocalDate.parse(s);
                if (d.getYear() < 1 || d.getYear() > 9999) throw invalid(whole);
                return endOfDay ? d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1000)
                        : d.atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            Instant t = OffsetDateTime.parse(s).toInstant();
            if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) throw invalid(whole);
            return t;
        } catch (DateTimeParseException e) {
            throw invalid(whole);
        }
    }

    private static DomainException invalid(String value) {
        return DomainException.invalid("datetime", "datetime is an RFC 3339 instant (2025-03-10T10:00:00Z), a date, or an interval "
                + "start/end with '..' for an open end; not '" + value + "'");
    }
}
