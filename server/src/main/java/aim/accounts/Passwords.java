package aim.accounts;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/** Password hashing with bcrypt (cost 12) via the at.favre.lib bcrypt library, and the password rule. */
public final class Passwords {
    private static final int COST = 12;
    public static final int MIN_LENGTH = 10;
    /** A hash to verify against when the user does not exist, so timing does not reveal usernames. */
    private static final String DUMMY = hash("not-a-real-password-ever");

    private Passwords() {
    }

    public static String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public static boolean matches(String password, String hash) {
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                (hash == null ? DUMMY : hash).getBytes(StandardCharsets.UTF_8)).verified && hash != null;
    }

    /** A random password of 16 characters from an unambiguous alphabet (for demo users). */
    public static String randomPassword() {
        String alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var random = new java.security.SecureRandom();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 16; i++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return s.toString();
    }

    /** Why a new password is unacceptable, or null when it is fine. */
    public static String problemWith(String password) {
        if (password == null || password.length() < MIN_LENGTH) return "a password needs at least " + MIN_LENGTH + " characters";
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) return "a password can have at most 72 bytes";
        if (password.isBlank()) return "a password cannot be blank";
        return null;
    }
}
