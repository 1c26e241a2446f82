package aim;

import aim.accounts.Accounts;
import aim.accounts.ApiToken;
import aim.accounts.Role;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** {@code ./aim user …}: the only way to create the first admin (there is no default account or password). */
final class UserCommand {
    private UserCommand() {
    }

    /** {@code clock} says which tokens have expired in the token list. */
    static int run(CommandLine cli, Accounts accounts, Clock clock) throws IOException {
        String action = cli.word(1);
        String username = cli.word(2);
        if ("list".equals(action)) {
            for (Map<String, Object> u : accounts.list()) {
                System.out.printf("%-20s %-8s %-6s %s%n", u.get("username"), u.get("role"),
                        Boolean.TRUE.equals(u.get("active")) ? "active" : "off", u.get("displayName"));
            }
            return 0;
        }
        if (action == null || username == null) {
            throw new IllegalArgumentException("usage: aim user add|passwd|disable|token|tokens|revoke NAME …, or aim user list");
        }
        switch (action) {
            case "add" -> {
                if (cli.option("role") == null) throw new IllegalArgumentException("--role is required");
                Role role = Role.parse(cli.option("role"));
                accounts.create(username, cli.option("name"), role, readPassword(), cli.option("organisation"));
                System.out.println("created " + role.id() + " " + username);
            }
            case "passwd" -> {
                String password = readPassword();
                boolean revoke = cli.flag("revoke-tokens") || askToRevokeTokens(accounts, username);
                int revoked = accounts.setPassword(username, password, revoke);
                System.out.println("password changed for " + username + "; their sessions have ended"
                        + (revoke ? "; " + revoked + " API token(s) revoked" : ""));
            }
            case "disable" -> {
                accounts.disable(username);
                System.out.println("disabled " + username + "; their sessions have ended and their API tokens are revoked");
            }
            case "tokens" -> {
                System.out.printf("%-6s %-24s %-17s %-17s %s%n", "ID", "NAME", "CREATED", "EXPIRES", "LAST USED");
                Instant now = clock.instant();
                for (ApiToken t : accounts.tokens(username)) {
                    System.out.printf("%-6d %-24s %-17s %-17s %s%n", t.id(), t.name(), minute(t.createdAt()),
                            minute(t.expiresAt()) + (t.expiresAt().isAfter(now) ? "" : " (expired)"),
                            t.lastUsedAt() == null ? "never" : minute(t.lastUsedAt()));
                }
            }
            case "revoke" -> {
                String id = cli.word(3);
                if (id == null || !id.matches("[0-9]{1,18}")) {
                    throw new IllegalArgumentException("usage: aim user revoke NAME TOKEN_ID (the ID from 'aim user tokens NAME')");
                }
                accounts.revokeToken(username, Long.parseLong(id));
                System.out.println("revoked API token " + id + " of " + username);
            }
            case "token" -> {
                String token = accounts.createApiToken(username, cli.options().getOrDefault("label", "cli"));
                System.err.println("API token for " + username + " (shown once; send it as 'Authorization: Bearer <token>'):");
                System.out.println(token);
            }
            default -> throw new IllegalArgumentException("unknown user action '" + action + "'");
        }
        return 0;
    }

    /** On a terminal, asks whether the user's API tokens should go too; a script passes --revoke-tokens instead. */
    private static boolean askToRevokeTokens(Accounts accounts, String username) {
        Console console = System.console();
        if (console == null) return false;
        int count = accounts.tokens(username).size();
        if (count == 0) return false;
        String answer = console.readLine("Also revoke %s's %d API token(s)? [y/N] ", username, count);
        return answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
    }

    private static String minute(Instant instant) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(instant);
    }

    /** Asks twice on a terminal; otherwise reads one line from standard input (for scripts). */
    private static String readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] second = console.readPassword("Again: ");
            if (first == null || second == null || !new String(first).equals(new String(second))) {
                throw new IllegalArgumentException("the passwords differ");
            }
            return new String(first);
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) throw new IllegalArgumentException("no password on standard input");
        return line;
    }
}
