package aim.assets;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The conventions AIM uses to exchange services as Open Referral UK JSON (the ORUK 1.0 service shape:
 * a service with nested organization, service_at_locations[].location, contacts, regular_schedules,
 * eligibilitys, cost_options, languages, service_areas and service_taxonomys).
 * <ul>
 * <li>A service's id is its AIM uid; the ids of its nested records (locations, contacts, schedules…) are
 *     derived from the service id and the record's position, so they are stable from one export to the
 *     next but not kept from a foreign feed.</li>
 * <li>The AIM category is a service_taxonomy in the vocabulary {@value #VOCABULARY}.</li>
 * <li>A ward of a service area is identified by its URI: the ONS statistical-geography URI for GSS codes
 *     (E05…), else {@code urn:aim:ward:CODE}; a polygon is GeoJSON (WGS84) text in {@code extent}.</li>
 * <li>{@code assured_date} is the asset's last_checked date; {@code application_process} its referral route.</li>
 * </ul>
 */
final class OpenReferral {
    static final String VOCABULARY = "AIM community asset categories";
    static final String ONS_URI = "http://statistics.data.gov.uk/id/statistical-geography/";
    static final String AIM_WARD_URN = "urn:aim:ward:";
    private static final Pattern GSS = Pattern.compile("^[EWSN]\\d{8}$");

    private OpenReferral() {
    }

    /** The id of the {@code index}th nested record of type {@code type} of a service. */
    static String nestedId(UUID service, String type, int index) {
        return UUID.nameUUIDFromBytes((service + "/" + type + "/" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A service id from a feed: a UUID as it is, anything else mapped to a stable name-based UUID. */
    static UUID serviceUid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return UUID.nameUUIDFromBytes(("openreferral:" + id).getBytes(StandardCharsets.UTF_8));
        }
    }

    static String wardUri(String code) {
        return GSS.matcher(code).matches() ? ONS_URI + code : AIM_WARD_URN + code;
    }

    /** The ward code a service-area URI names, or null when it names no ward. */
    static String wardCode(String uri) {
        if (uri == null) return null;
        String u = uri.trim();
        for (String prefix : new String[]{ONS_URI, ONS_URI.replace("http:", "https:"), AIM_WARD_URN}) {
            if (u.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT)) && u.length() > prefix.length()) {
                return u.substring(prefix.length());
            }
        }
        return null;
    }
}
