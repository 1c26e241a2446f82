package aim;

import aim.core.DomainException;
import aim.accounts.Accounts;
import aim.accounts.Role;
import aim.db.DatabaseUrl;
import aim.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./aim user …}: the first admin is created from the command line, with a password from standard input. */
@Tag("postgis")
class UserCommandTest {

    private static String run(Config config, String stdin, String... args) throws Exception {
        InputStream in = System.in;
        PrintStream out = System.out;
        var captured = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run(CommandLine.parse(args), config));
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void addsTheFirstAdminIssuesATokenAndRefusesWeakPasswords() throws Exception {
        try (var ds = TestDatabase.fresh()) {
            Config config = Config.fromEnvironment(Map.of()).withDatabase(new DatabaseUrl(ds.getJdbcUrl(), ds.getUsername(), ds.getPassword()));
            assertTrue(run(config, "a long admin password\n", "user", "add", "alice", "--role", "admin", "--name", "Alice Smith")
                    .contains("created admin alice"));
            var accounts = new Accounts(ds);
            assertEquals(Role.ADMIN, accounts.find("alice").orElseThrow().role());
            String secret = accounts.logIn("alice", "a long admin password");
            assertTrue(accounts.bySession(secret).isPresent());

            String token = run(config, "", "user", "token", "alice", "--label", "script").trim();
            assertTrue(token.startsWith("aim_"), token);
            assertEquals("alice", accounts.byApiToken(token).orElseThrow().username());
            assertTrue(run(config, "", "user", "list").contains("alice"));

            var weak = assertThrows(aim.core.DomainException.class, () -> run(config, "short\n", "user", "add", "bob", "--role", "viewer"));
            assertEquals("password", weak.field());
            assertThrows(IllegalArgumentException.class, () -> run(config, "a long enough one\n", "user", "add", "bob", "--role", "boss"));
        }
    }

    @Test
    void listsAndRevokesTokensAndAPasswordChangeCanRevokeThemAll() throws Exception {
        try (var ds = TestDatabase.fresh()) {
            Config config = Config.fromEnvironment(Map.of("AIM_TOKEN_DAYS", "7"))
                    .withDatabase(new DatabaseUrl(ds.getJdbcUrl(), ds.getUsername(), ds.getPassword()));
            var accounts = new Accounts(ds);
            run(config, "a long warden password\n", "user", "add", "wanda", "--role", "warden");
            String phone = run(config, "", "user", "token", "wanda", "--label", "phone-1").trim();
            String tablet = run(config, "", "user", "token", "wanda", "--label", "tablet").trim();
            assertTrue(accounts.byApiToken(phone).isPresent());

            String listing = run(config, "", "user", "tokens", "wanda");
            assertTrue(listing.contains("phone-1") && listing.contains("tablet") && listing.contains("never"), listing);
            assertTrue(!listing.contains(phone) && !listing.contains(tablet), "never the secret: " + listing);
            var tokens = accounts.tokens("wanda");
            var phoneToken = tokens.stream().filter(t -> t.name().equals("phone-1")).findFirst().orElseThrow();
            long days = java.time.Duration.between(phoneToken.createdAt(), phoneToken.expiresAt()).toDays();
            assertEquals(7, days, "AIM_TOKEN_DAYS");

            assertTrue(run(config, "", "user", "revoke", "wanda", String.valueOf(phoneToken.id())).contains("revoked"));
            assertTrue(accounts.byApiToken(phone).isEmpty(), "the revoked token no longer signs in");
            assertTrue(accounts.byApiToken(tablet).isPresent());
            assertThrows(aim.core.DomainException.class, () -> run(config, "", "user", "revoke", "wanda", String.valueOf(phoneToken.id())));
            assertThrows(IllegalArgumentException.class, () -> run(config, "", "user", "revoke", "wanda", "x"));

            // no terminal and no --revoke-tokens: the password changes, the tokens stay
            run(config, "another long password\n", "user", "passwd", "wanda");
            assertTrue(accounts.byApiToken(tablet).isPresent());
            String out = run(config, "a third long password\n", "user", "passwd", "wanda", "--revoke-tokens");
            assertTrue(out.contains("1 API token(s) revoked"), out);
            assertTrue(accounts.byApiToken(tablet).isEmpty());

            String last = run(config, "", "user", "token", "wanda").trim();
            assertTrue(run(config, "", "user", "disable", "wanda").contains("revoked"));
            assertTrue(accounts.byApiToken(last).isEmpty());
            assertTrue(accounts.tokens("wanda").isEmpty(), "disabling revokes every token");
        }
    }
}
