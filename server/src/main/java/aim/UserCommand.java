package aim;

import aim.accounts.Accounts;
import aim.accounts.Role;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code ./aim user …}: the only way to create the first admin (there is no default account or password). */
final class UserCommand {
    private UserCommand() {
    }

    static int run(CommandLine cli, Accounts accounts) throws IOException {
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
            throw new IllegalArgumentException("usage: aim user add|passwd|disable|token NAME …, or aim user list");
        }
        switch (action) {
            case "add" -> {
                if (cli.option("role") == null) throw new IllegalArgumentException("--role is required");
                Role role = Role.parse(cli.option("role"));
                accounts.create(username, cli.option("name"), role, readPassword());
                System.out.println("created " + role.id() + " " + username);
            }
            case "passwd" -> {
                accounts.setPassword(username, readPassword());
                System.out.println("password changed for " + username + "; their sessions have ended");
            }
            case "disable" -> {
                accounts.disable(username);
                System.out.println("disabled " + username);
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
