package aim.incidents;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** UK date forms, day first, Europe/London local time. */
class CouncilDateParserTest {
    final CouncilDateParser parser = new CouncilDateParser(ZoneId.of("Europe/London"));

    private void day(String text, String expected) {
        var parsed = parser.parse(text);
        assertEquals("day", parsed.precision(), text);
        assertEquals(OffsetDateTime.parse(expected), parsed.at(), text);
    }

    private void minute(String text, String expected) {
        var parsed = parser.parse(text);
        assertEquals("minute", parsed.precision(), text);
        assertEquals(OffsetDateTime.parse(expected).toInstant(), parsed.at().toInstant(), text);
    }

    @Test
    void daysAreReadDayFirst() {
        day("05/03/2024", "2024-03-05T00:00Z");
        day("5/3/2024", "2024-03-05T00:00Z");
        day("05-03-2024", "2024-03-05T00:00Z");
        day("2024-03-05", "2024-03-05T00:00Z");
        day("12/07/2024", "2024-07-12T00:00+01:00"); // British Summer Time
        day(" 31/12/2023 ", "2023-12-31T00:00Z");
    }

    @Test
    void timesAreLondonTimeToTheMinute() {
        minute("05/03/2024 14:30", "2024-03-05T14:30Z");
        minute("5/3/2024 9:05", "2024-03-05T09:05Z");
        minute("05/07/2024 14:30:59", "2024-07-05T13:30Z");
        minute("05-07-2024 14:30", "2024-07-05T13:30Z");
        minute("2024-07-05 14:30", "2024-07-05T13:30Z");
        minute("2024-07-05T14:30:00", "2024-07-05T13:30Z");
        minute("2024-07-05T14:30:00Z", "2024-07-05T14:30Z");
        minute("2024-07-05T14:30:00.250+02:00", "2024-07-05T12:30Z");
    }

    @Test
    void impossibleAmbiguousAndOtherFormsAreRefused() {
        assertNull(parser.parse("31/02/2024"));
        assertNull(parser.parse("13/13/2024"));
        assertNull(parser.parse("05/03/24"));
        assertNull(parser.parse("March 5th 2024"));
        assertNull(parser.parse(""));
        assertNull(parser.parse("2024-03-05T25:00"));
    }
}
