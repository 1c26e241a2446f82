package aim.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one If-None-Match check of the OGC API, the tiles and the public view (RFC 9110 weak comparison). */
class ConditionalGetTest {
    @Test
    void aListWeakTagsAndTheWildcardMatchAnythingElseDoesNot() {
        String etag = ConditionalGet.etag("incidents.3|wards");
        assertEquals(34, etag.length(), etag);
        assertNotEquals(etag, ConditionalGet.etag("incidents.4|wards"), "another data version, another tag");
        assertTrue(ConditionalGet.matches(etag, etag));
        assertTrue(ConditionalGet.matches("\"other\", " + etag, etag), "one of a list");
        assertTrue(ConditionalGet.matches("W/" + etag, etag), "a weak tag compares equal");
        assertTrue(ConditionalGet.matches(etag, "W/" + etag), "our weak tag against a client's strong one");
        assertTrue(ConditionalGet.matches("*", etag));
        assertFalse(ConditionalGet.matches(null, etag));
        assertFalse(ConditionalGet.matches("", etag));
        assertFalse(ConditionalGet.matches("\"other\"", etag));
        assertFalse(ConditionalGet.matches(etag.substring(1), etag), "an unquoted tag is not the tag");
    }
}
