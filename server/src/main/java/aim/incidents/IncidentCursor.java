package aim.incidents;

import aim.core.DomainException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque paging cursor of the incident list: the last id of the previous page. */
final class IncidentCursor {
    private IncidentCursor() {
    }

    static String encode(long lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("i:" + lastId).getBytes(StandardCharsets.US_ASCII));
    }

    static long decode(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!s.startsWith("i:")) throw new IllegalArgumentException();
            long id = Long.parseLong(s.substring(2));
            if (id < 0) throw new IllegalArgumentException();
            return id;
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("cursor", "cursor is not one this server gave out: pass meta.next_cursor unchanged");
        }
    }
}
