package aim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The launcher's arguments: positional words, {@code --name value} options and {@code --flag} switches. */
record CommandLine(List<String> words, Map<String, String> options) {
    private static final Set<String> FLAGS = Set.of("replace", "help", "revoke-tokens", "force", "national", "throughput", "analyze");

    static CommandLine parse(String[] args) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String name = a.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    options.put(name.substring(0, eq), name.substring(eq + 1));
                } else if (FLAGS.contains(name)) {
                    options.put(name, "true");
                } else if (i + 1 < args.length) {
                    options.put(name, args[++i]);
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
            } else {
                words.add(a);
            }
        }
        return new CommandLine(words, options);
    }

    String word(int i) {
        return i < words.size() ? words.get(i) : null;
    }

    String option(String name) {
        return options.get(name);
    }

    boolean flag(String name) {
        return "true".equals(options.get(name));
    }

    Integer intOption(String name) {
        String v = options.get(name);
        if (v == null) return null;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + v + "'");
        }
    }

    java.time.LocalDate dateOption(String name) {
        String v = options.get(name);
        if (v == null) return null;
        try {
            return java.time.LocalDate.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--" + name + " must be a date like 2024-05-02, not '" + v + "'");
        }
    }
}
