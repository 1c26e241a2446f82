package aim.incidents;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Dates and times as councils' systems and spreadsheets write them, read the UK way round (day
 * first): {@code 05/03/2024}, {@code 5/3/2024}, {@code 05-03-2024}, {@code 2024-03-05} (a day), and
 * {@code 05/03/2024 14:30}, {@code 05/03/2024 14:30:15}, {@code 2024-03-05 14:30},
 * {@code 2024-03-05T14:30:00Z}, {@code 2024-03-05T14:30+01:00} (a minute; seconds are dropped).
 * Times without an offset are Europe/London local time. Impossible dates such as 31/02/2024 are
 * refused, as are two-digit years (ambiguous).
 */
public final class CouncilDateParser {
    /** When the incident happened, and to what precision ({@code day} or {@code minute}). */
    public record Parsed(OffsetDateTime at, String precision) {
    }

    private static final List<DateTimeFormatter> DAYS = List.of(
            strict("d/M/uuuu"), strict("d-M-uuuu"), strict("d.M.uuuu"), DateTimeFormatter.ISO_LOCAL_DATE);
    private static final List<DateTimeFormatter> LOCAL_TIMES = List.of(
            strict("d/M/uuuu H:mm"), strict("d/M/uuuu H:mm:ss"), strict("d-M-uuuu H:mm"), strict("d-M-uuuu H:mm:ss"),
            strict("uuuu-MM-dd H:mm"), strict("uuuu-MM-dd H:mm:ss"), DateTimeFormatter.ISO_LOCAL_DATE_TIME);

    private final ZoneId zone;

    public CouncilDateParser(ZoneId zone) {
        this.zone = zone;
    }

    /** The moment in {@code text}, or null when it is not a date or date-time in one of the accepted forms. */
    public Parsed parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) return null;
        for (DateTimeFormatter f : DAYS) {
            try {
                return new Parsed(LocalDate.parse(s, f).atStartOfDay(zone).toOffsetDateTime(), "day");
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        for (DateTimeFormatter f : LOCAL_TIMES) {
            try {
                return minute(LocalDateTime.parse(s, f).atZone(zone).toOffsetDateTime());
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        try {
            return minute(OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Parsed minute(OffsetDateTime at) {
        return new Parsed(at.truncatedTo(ChronoUnit.MINUTES), "minute");
    }

    private static DateTimeFormatter strict(String pattern) {
        return DateTimeFormatter.ofPattern(pattern).withResolverStyle(ResolverStyle.STRICT);
    }
}
