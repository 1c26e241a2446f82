package aim;

import aim.core.DomainException;
import aim.core.Issue;
import aim.boundaries.BoundaryImportOptions;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.NeighbourhoodBuilder;
import aim.boundaries.NeighbourhoodMappingCsv;
import aim.boundaries.PopulationImporter;
import aim.db.Database;
import aim.db.DatabaseUrl;
import aim.db.PrivateCluster;
import aim.web.App;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code ./aim} commands. Every command uses the database in AIM_DATABASE_URL, or else the
 * private cluster under {@code var/pgdata}, which it starts (and stops again when it started it).
 */
public final class Main {
    private static final String USAGE = """
            usage: aim <command>
              demo  [--port N] [--host ADDR]   load the demo borough (first run) and serve the map
              serve [--port N] [--host ADDR]   serve the map and API over the existing database
                                               (listens on 127.0.0.1 unless --host 0.0.0.0 or AIM_HOST)
              import boundaries FILE --level ward|zone|lsoa [--version NAME] [--valid-from DATE] [--valid-to DATE]
                                [--code-field F --name-field F] [--srid 4326|27700] [--attribution TEXT] [--replace]
              import neighbourhoods FILE --version NAME [--ward-version NAME] [--valid-from DATE] [--replace]
              import population FILE --level ward|zone|lsoa [--version NAME] [--year YYYY]
                                [--code-field F] [--population-field F] [--year-field F]
              import police FILE…               data.police.uk street-level CSV files (many months at once)
              import council FILE… --map "id=Ref,category=Type,occurred=Date,easting=X,northing=Y" | --map mapping.json
              import assets FILE [--format csv|openreferral] [--category CODE] [--kind place|service|people]
                                               community assets: CSV (WKT or easting/northing in EPSG:27700, or lon/lat)
                                               or Open Referral UK JSON; bad CSV rows are reported by line, good rows kept
              import indicator FILE --kind survey|count|score [--indicator CODE[,CODE…]]
                                               partner indicator values: CSV of area (ward, LSOA or zone code), measure,
                                               period or wave date, value (and n for surveys); bad rows reported by line,
                                               good rows kept; a re-import of a measure and period replaces it
              import gazetteer FILE [--licence TEXT] [--everywhere]
                                               postcodes and places for the map's search: the ONS Postcode Directory,
                                               Code-Point Open or OS Open Names CSV (OGL); rows more than 5 km outside
                                               the wards are left out unless --everywhere; bad rows reported by line
              export assets [--out FILE] [--category CODE]  the services as Open Referral UK JSON (never people)
              population apportion [--level ward] [--version NAME] [--from-version LSOA_VERSION] [--year YYYY]
              versions                         list the boundary versions
              user add NAME --role admin|analyst|warden|planner|viewer|partner [--name "Display Name"] [--organisation CODE]
                                               asks for the password (or reads one line from standard input)
              user passwd NAME [--revoke-tokens]  new password; ends their sessions, and with --revoke-tokens
                                               (or when you answer yes on a terminal) revokes their API tokens
              user disable NAME | user list    disabling ends their sessions and revokes their API tokens
              user token NAME [--label phone-1]  prints a new API token for a device or script (shown once;
                                               it expires after AIM_TOKEN_DAYS, default 180)
              user tokens NAME                 lists their API tokens (id, name, created, expires, last used)
              user revoke NAME TOKEN_ID        revokes one of their API tokens
              retention --before YYYY-MM [--force]  drops the incidents of every month before YYYY-MM (whole
                                               monthly partitions, their rollups and history); refuses while a
                                               problem's target counts them, unless --force
              bench [NAME…] [--rows N]          run the benchmarks over a throw-away database aim_bench
                                               (reports-load: [--rates 50,100,200,400] [--seconds 10] per step)
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(CommandLine.parse(args), Config.fromEnvironment(System.getenv()));
        } catch (IllegalArgumentException e) {
            System.err.println("aim: " + e.getMessage());
            status = 2;
        } catch (DomainException e) {
            System.err.println("aim: " + e.getMessage());
            e.issues().forEach(i -> System.err.println("  " + (i instanceof Issue issue ? line(issue) : i)));
            status = 1;
        } catch (Exception e) {
            System.err.println("aim: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    /** An import issue as the command line prints it: {@code feature 3: error: … at x y}. */
    private static String line(Issue i) {
        return i.where() + ": " + i.severity() + ": " + i.message() + (i.location() == null ? "" : " at " + i.location());
    }

    static int run(CommandLine cli, Config config) throws Exception {
        String command = cli.word(0);
        if (command == null || cli.flag("help")) {
            System.out.print(USAGE);
            return command == null ? 2 : 0;
        }
        if (cli.intOption("port") != null) config = config.withPort(cli.intOption("port"));
        if (cli.option("host") != null) config = config.withHost(cli.option("host"));
        return switch (command) {
            case "serve" -> serve(config, false);
            case "demo" -> serve(config, true);
            case "import", "population", "versions" -> withDatabase(config, ds -> tool(cli, ds));
            case "user" -> {
                var tokenLifetime = java.time.Duration.ofDays(config.tokenDays());
                yield withDatabase(config, ds -> UserCommand.run(cli, new aim.accounts.Accounts(ds, tokenLifetime), java.time.Clock.systemUTC()));
            }
            case "export" -> withDatabase(config, ds -> {
                if (!"assets".equals(cli.word(1))) throw new IllegalArgumentException("usage: aim export assets [--out FILE] [--category CODE]");
                return aim.assets.AssetCommand.export(ds, cli.option("out") == null ? null : Path.of(cli.option("out")),
                        cli.option("format"), cli.option("category"), System.out);
            });
            case "retention" -> withDatabase(config, ds -> aim.incidents.IncidentRetention.run(ds, cli.option("before"),
                    cli.flag("force"), System.out));
            case "bench" -> aim.bench.BenchmarkRunner.run(config.database(), config.dataDir(), config.capacity(),
                    cli.words().subList(1, cli.words().size()), cli.options(), System.out);
            default -> throw new IllegalArgumentException("unknown command '" + command + "'\n" + USAGE);
        };
    }

    private interface DatabaseWork {
        int run(HikariDataSource dataSource) throws Exception;
    }

    private static int withDatabase(Config config, DatabaseWork work) throws Exception {
        PrivateCluster cluster = config.database() == null ? PrivateCluster.start(config.dataDir().resolve("pgdata")) : null;
        // commands are the administrator's: they run as the owner when AIM_DATABASE_OWNER_URL names one (migrations, retention)
        DatabaseUrl url = cluster != null ? cluster.url() : config.databaseOwner() != null ? config.databaseOwner() : config.database();
        try (cluster; HikariDataSource ds = Database.connect(url,
                config.capacity().dbPoolSize(), config.capacity().dbConnectionTimeoutMs())) {
            Database.migrate(ds);
            return work.run(ds);
        }
    }

    private static int serve(Config config, boolean demo) throws Exception {
        Serving serving = prepare(config, demo);
        Javalin app = start(config, serving.dataSource());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping AIM…");
            app.stop();
            serving.close();
            stopped.countDown();
        }));
        String shown = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
        System.out.println("AIM is serving the web map at http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":"
                + app.port() + "/  (Ctrl-C stops it" + (serving.cluster() != null ? " and the private database)" : ")"));
        if (config.host().equals("127.0.0.1") || config.host().equals("localhost")) {
            System.out.println("only this machine can reach it; --host 0.0.0.0 (or AIM_HOST) opens it to the network");
        }
        stopped.await();
        return 0;
    }

    /** The database the server uses, and the private cluster under it if this process started one. */
    record Serving(PrivateCluster cluster, HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            dataSource.close();
            if (cluster != null) cluster.close();
        }
    }

    /**
     * Migrates (and for the demo, loads) the database as its owner, then opens the pool the server
     * uses: the private cluster's {@value PrivateCluster#APP_ROLE}, or the user of AIM_DATABASE_URL
     * (given row access when AIM_DATABASE_OWNER_URL names a separate owner). A superuser serving is
     * warned about: it could drop tables or read files on the database server.
     */
    static Serving prepare(Config config, boolean demo) throws Exception {
        PrivateCluster cluster = config.database() == null ? PrivateCluster.start(config.dataDir().resolve("pgdata")) : null;
        try {
            DatabaseUrl owner = cluster != null ? cluster.url() : config.databaseOwner() != null ? config.databaseOwner() : config.database();
            DatabaseUrl server = cluster != null ? cluster.appUrl() : config.database();
            try (HikariDataSource ownerPool = Database.connect(owner, 2, config.capacity().dbConnectionTimeoutMs())) {
                Database.migrate(ownerPool);
                if (server.user() != null && !server.user().equals(owner.user())) Database.grantServing(ownerPool, server.user());
                if (demo) new DemoLoader(ownerPool, config.dataDir().resolve("demo")).loadEverythingIfMissing();
            }
            HikariDataSource ds = Database.connect(server, config.capacity().dbPoolSize(), config.capacity().dbConnectionTimeoutMs());
            if (Database.isSuperuser(ds)) {
                System.err.println("aim: warning: the server connects to the database as a superuser (" + server.user()
                        + "); give it a role with only row access and run the migrations with AIM_DATABASE_OWNER_URL");
            }
            return new Serving(cluster, ds);
        } catch (Exception e) {
            if (cluster != null) cluster.close();
            throw e;
        }
    }

    /** Starts the app on the configured address (127.0.0.1 unless --host or AIM_HOST say otherwise). */
    static Javalin start(Config config, HikariDataSource dataSource) {
        return App.create(config, dataSource).start(config.host(), config.port());
    }

    private static int tool(CommandLine cli, HikariDataSource ds) throws Exception {
        ObjectMapper json = aim.core.Json.mapper();
        var repository = new BoundaryRepository(ds);
        String what = cli.word(1);
        if ("versions".equals(cli.word(0))) {
            System.out.printf("%-14s %-24s %-11s %-11s %8s  %s%n", "level", "version", "valid from", "valid to", "features", "");
            for (var s : repository.versions()) {
                System.out.printf("%-14s %-24s %-11s %-11s %8d  %s%n", s.level().id(), s.version(), s.validFrom(),
                        s.validTo() == null ? "" : s.validTo(), s.featureCount(),
                        (s.current() ? "current " : "") + (s.demo() ? "demo" : ""));
            }
            return 0;
        }
        if ("population".equals(cli.word(0))) {
            if (!"apportion".equals(what)) throw new IllegalArgumentException("usage: aim population apportion …");
            var report = new PopulationImporter(ds, repository).apportionFromLsoa(
                    BoundaryLevel.parse(cli.options().getOrDefault("level", "ward"), "--level"),
                    cli.option("version"), cli.option("from-version"), cli.intOption("year"));
            System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            return 0;
        }
        if ("assets".equals(what)) {
            Path assetFile = cli.word(2) == null ? null : Path.of(cli.word(2));
            if (assetFile == null || !Files.isReadable(assetFile)) throw new IllegalArgumentException("usage: aim import assets FILE (a readable CSV or JSON file)");
            return aim.assets.AssetCommand.importFile(ds, assetFile, cli.option("format"), cli.option("category"), cli.option("kind"), System.out);
        }
        if ("indicator".equals(what)) {
            Path indicatorFile = cli.word(2) == null ? null : Path.of(cli.word(2));
            if (indicatorFile == null || !Files.isReadable(indicatorFile)) {
                throw new IllegalArgumentException("usage: aim import indicator FILE --kind survey|count|score [--indicator CODE[,CODE…]]");
            }
            return aim.indicators.IndicatorCommand.importFile(ds, indicatorFile, cli.option("kind"), cli.option("indicator"), System.out);
        }
        if ("gazetteer".equals(what)) {
            Path gazetteerFile = cli.word(2) == null ? null : Path.of(cli.word(2));
            if (gazetteerFile == null || !Files.isReadable(gazetteerFile)) {
                throw new IllegalArgumentException("usage: aim import gazetteer FILE [--licence TEXT] [--everywhere] (a readable CSV file)");
            }
            try (var reader = Files.newBufferedReader(gazetteerFile, StandardCharsets.UTF_8)) {
                var report = new aim.places.GazetteerImporter(ds, repository).importCsv(reader, gazetteerFile.getFileName().toString(),
                        cli.option("licence"), cli.flag("everywhere"), false);
                System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
                return report.rejected() > 0 ? 1 : 0;
            }
        }
        if ("police".equals(what) || "council".equals(what)) {
            List<Path> files = cli.words().subList(2, cli.words().size()).stream().map(Path::of).toList();
            return "police".equals(what) ? aim.incidents.IncidentImportCommand.police(ds, files, System.out)
                    : aim.incidents.IncidentImportCommand.council(ds, files, cli.option("map"), System.out);
        }
        Path file = cli.word(2) == null ? null : Path.of(cli.word(2));
        if (what == null || file == null) throw new IllegalArgumentException("usage: aim import boundaries|neighbourhoods|population|police|council FILE …");
        if (!Files.isReadable(file)) throw new IllegalArgumentException("cannot read " + file);
        Object report = switch (what) {
            case "boundaries" -> new BoundaryImporter(ds).importFile(file, new BoundaryImportOptions(
                    BoundaryLevel.parse(cli.option("level"), "--level"), cli.option("version"),
                    cli.dateOption("valid-from"), cli.dateOption("valid-to"), cli.option("code-field"), cli.option("name-field"),
                    cli.intOption("srid"), cli.flag("replace"), false, cli.option("attribution")));
            case "neighbourhoods" -> {
                if (cli.option("version") == null) throw new IllegalArgumentException("--version is required");
                var parsed = NeighbourhoodMappingCsv.read(Files.newBufferedReader(file, StandardCharsets.UTF_8));
                if (!parsed.issues().isEmpty()) {
                    throw DomainException.rejected("file", parsed.issues().size() + " bad row(s) in " + file + "; nothing was stored", parsed.issues());
                }
                yield new NeighbourhoodBuilder(ds, repository).define(cli.option("version"), cli.option("ward-version"),
                        cli.dateOption("valid-from"), parsed.neighbourhoods(), cli.flag("replace"), false);
            }
            case "population" -> new PopulationImporter(ds, repository).importCsv(
                    Files.newBufferedReader(file, StandardCharsets.UTF_8),
                    BoundaryLevel.parse(cli.option("level"), "--level"), cli.option("version"), cli.intOption("year"),
                    new PopulationImporter.Columns(cli.option("code-field"), cli.option("population-field"), cli.option("year-field")));
            default -> throw new IllegalArgumentException("unknown import '" + what + "': boundaries, neighbourhoods, population, police or council");
        };
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        return 0;
    }
}
