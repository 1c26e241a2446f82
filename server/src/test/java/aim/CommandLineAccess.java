package aim;

/** Lets tests of other packages run an {@code ./aim} command line as {@link Main} does (Main.run is package-private). */
public final class CommandLineAccess {
    private CommandLineAccess() {
    }

    public static int run(Config config, String... args) throws Exception {
        return Main.run(CommandLine.parse(args), config);
    }
}
