package aim.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code Idempotency-Key} of a creating request (a warden report, a problem, an action, a meeting …):
 * 1 to 100 printable ASCII characters chosen by the
 * client, unique per user. A retried request must carry the same body; bodies are compared by the
 * SHA-256 of their canonical form (the parsed request with object keys sorted and absent fields as
 * null), so whitespace, key order and number spelling do not matter.
 */
public final class IdempotencyKey {
    public static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[\\x20-\\x7E]{1,100}");
    private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private IdempotencyKey() {
    }

    /** The header's value, or a 400 problem naming {@value #HEADER}. */
    public static String check(String header) {
        if (header == null || header.isBlank()) {
            throw DomainException.invalid(HEADER, "an Idempotency-Key header is required (1-100 printable characters, "
                    + "e.g. a UUID the phone creates once per report and sends again on every retry)");
        }
        String key = header.strip();
        if (!VALID.matcher(key).matches()) {
            throw DomainException.invalid(HEADER, "the Idempotency-Key must be 1-100 printable ASCII characters");
        }
        return key;
    }

    /** SHA-256 of the canonical JSON form of a parsed request body. */
    public static byte[] requestHash(Object body) {
        try {
            Map<?, ?> tree = CANONICAL.convertValue(body, Map.class);
            return MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(tree));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("hashing a request failed", e);
        }
    }
}
