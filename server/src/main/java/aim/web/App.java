package aim.web;

import aim.Config;
import aim.accounts.AccountController;
import aim.accounts.Accounts;
import aim.accounts.OrganisationController;
import aim.accounts.Organisations;
import aim.assets.AssetAnalysis;
import aim.assets.AssetAnalysisController;
import aim.assets.AssetCategories;
import aim.assets.AssetController;
import aim.assets.AssetCsvImporter;
import aim.assets.AssetRepository;
import aim.assets.AssetWriter;
import aim.assets.OpenReferralExporter;
import aim.assets.OpenReferralImporter;
import aim.assets.PeopleAudit;
import aim.boundaries.BoundaryController;
import aim.boundaries.BoundaryImporter;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.NeighbourhoodBuilder;
import aim.boundaries.PopulationImporter;
import aim.areas.AreaController;
import aim.areas.AreaStatisticsRepository;
import aim.hotspots.HotspotController;
import aim.hotspots.HotspotEngine;
import aim.hotspots.HotspotRepository;
import aim.db.DatabaseRouter;
import aim.incidents.CouncilCsvImporter;
import aim.incidents.IncidentController;
import aim.indicators.IndicatorController;
import aim.indicators.IndicatorRepository;
import aim.indicators.IndicatorTable;
import aim.incidents.IncidentImportController;
import aim.incidents.IncidentRepository;
import aim.incidents.TaxonomyRepository;
import aim.incidents.PoliceCsvImporter;
import aim.meetings.BriefingIndicators;
import aim.meetings.BriefingRepository;
import aim.meetings.BriefingService;
import aim.evaluation.EvaluationController;
import aim.evaluation.EvaluationService;
import aim.meetings.MeetingController;
import aim.meetings.MeetingRepository;
import aim.problems.ActionRepository;
import aim.problems.ProblemController;
import aim.problems.ProblemInput;
import aim.problems.ProblemPlace;
import aim.problems.ProblemRepository;
import aim.reports.PhotoStore;
import aim.reports.ReportController;
import aim.reports.ReportRepository;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;

import javax.sql.DataSource;
import java.time.LocalDate;

/** Builds the AIM web application: API, web map and error mapping, over a migrated database. */
public final class App {
    private App() {
    }


    /** The app, not started: {@code App.create(config, dataSource).start(0)} in a test. */
    public static Javalin create(Config config, DataSource dataSource) {
        ObjectMapper json = aim.core.Json.mapper();
        // every repository below reads and writes through the router (replicas, timeouts, cancel); the few that
        // write while serving a read (session and token bookkeeping, the people-asset audit) get the primary
        var router = new DatabaseRouter(dataSource, config.databaseUse(), config.capacity().dbPoolSize(),
                config.capacity().dbConnectionTimeoutMs());
        DataSource primary = router.primaryOnly();
        dataSource = router;
        java.time.Clock clock = java.time.Clock.systemUTC();
        BoundaryRepository boundaryRepository = new BoundaryRepository(dataSource);
        var boundaries = new BoundaryController(boundaryRepository, new BoundaryImporter(dataSource, clock),
                new NeighbourhoodBuilder(dataSource, boundaryRepository, clock),
                new PopulationImporter(dataSource, boundaryRepository), json, config.maxSimplifyMetres());
        var accounts = new Accounts(primary, java.time.Duration.ofDays(config.tokenDays()));
        var access = new AccessControl(accounts, new SameOriginWrites(config.publicOrigin()));
        var service = new HealthController(new aim.db.DatabaseStatus(dataSource), config, access);
        var taxonomies = new TaxonomyRepository(dataSource);
        var incidents = new IncidentController(new IncidentRepository(dataSource), boundaryRepository, access, json,
                taxonomies, config.maxPageSize());
        var incidentImports = new IncidentImportController(new PoliceCsvImporter(dataSource, clock),
                new CouncilCsvImporter(dataSource, clock));
        var photos = new PhotoStore(dataSource);
        var reports = new ReportController(new ReportRepository(dataSource, boundaryRepository), photos, access, json, clock);
        var hotspotEngine = new HotspotEngine(new HotspotRepository(dataSource));
        var hotspots = new HotspotController(hotspotEngine, boundaryRepository,
                taxonomies, json, access, clock);
        var areas = new AreaController(boundaryRepository, new AreaStatisticsRepository(dataSource), access, taxonomies,
                clock);
        var assetCategories = new AssetCategories(dataSource);
        var assetWriter = new AssetWriter(dataSource, boundaryRepository, assetCategories, clock);
        var assetRepository = new AssetRepository(dataSource, new PeopleAudit(primary), config.assetStaleDays());
        var assets = new AssetController(assetRepository, assetWriter, assetCategories,
                new AssetCsvImporter(dataSource, assetWriter, assetCategories),
                new OpenReferralImporter(dataSource, assetWriter, assetCategories), new OpenReferralExporter(dataSource),
                boundaryRepository, access, json, config.maxPageSize());
        var assetAnalysis = new AssetAnalysisController(assetRepository,
                new AssetAnalysis(dataSource, hotspotEngine), assetCategories, boundaryRepository, access, taxonomies,
                json, config.maxPageSize());
        var organisations = new Organisations(dataSource);
        var actions = new ActionRepository(dataSource);
        var places = new ProblemPlace(dataSource, boundaryRepository);
        var problems = new ProblemController(new ProblemRepository(dataSource, actions), actions,
                () -> new ProblemInput(taxonomies.load(), organisations, places), access, json, clock, config.maxPageSize());
        var evaluations = new EvaluationService(dataSource, places);
        var meetingRepository = new MeetingRepository(dataSource);
        var indicatorRepository = new IndicatorRepository(dataSource);
        var indicatorTable = new IndicatorTable(indicatorRepository, new AreaStatisticsRepository(dataSource), boundaryRepository);
        var indicators = new IndicatorController(indicatorRepository, indicatorTable, boundaryRepository, taxonomies, access, clock);
        var meetings = new MeetingController(meetingRepository, new BriefingService(meetingRepository,
                new BriefingRepository(dataSource), boundaryRepository, new AreaStatisticsRepository(dataSource),
                hotspotEngine, evaluations, clock, new BriefingIndicators(indicatorTable, boundaryRepository, taxonomies)), access);
        // the public view and open data (no sign-in): counts from the areas domain and the hotspot engine, small numbers suppressed
        var publicCellCounts = new HotspotRepository(dataSource);
        var publicData = new aim.publicdata.PublicDataController(new aim.publicdata.PublicCounts(boundaryRepository,
                new AreaStatisticsRepository(dataSource), publicCellCounts, taxonomies,
                new aim.publicdata.Suppression(config.publicSuppressBelow()), clock),
                new aim.publicdata.PublicAreaShapes(dataSource), publicCellCounts, new aim.db.DataVersions(dataSource), json, clock);
        var controllers = new Routes.Controllers(service,
                new AccountController(accounts, access, config.loginFailuresPerMinute(), config.publicOrigin(), clock), boundaries, incidents,
                incidentImports, reports, hotspots, areas, assets, assetAnalysis,
                new OrganisationController(organisations), problems, meetings, indicators,
                new EvaluationController(evaluations, access, taxonomies),
                new aim.ogc.OgcController(new aim.ogc.OgcFeatures(dataSource), boundaryRepository, hotspotEngine,
                        new aim.db.DataVersions(dataSource), access, json, clock, config.publicOrigin(), config.maxPageSize()),
                new aim.places.PlaceController(new aim.places.PlaceRepository(dataSource, boundaryRepository), access),
                publicData,
                // vector tiles
                new aim.tiles.TileController(new aim.tiles.TileRepository(dataSource, new HotspotRepository(dataSource)), hotspotEngine,
                        boundaryRepository, taxonomies, new aim.db.DataVersions(dataSource), access, config.publicOrigin(),
                        config.vectorTileMaxZoom()));

        Javalin app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.jsonMapper(new JavalinJackson(json, false));
            // bodies are read through RequestBodies and Uploads with per-endpoint limits; these are backstops
            c.http.maxRequestSize = JsonBodies.MAX_BYTES;
            c.appData(Uploads.MAX_IMPORT_BYTES, config.maxImportBytes());
            c.jetty.multipartConfig.maxFileSize(config.maxImportBytes(), io.javalin.config.SizeUnit.BYTES);
            c.jetty.multipartConfig.maxTotalRequestSize(config.maxImportBytes(), io.javalin.config.SizeUnit.BYTES);
            c.http.prefer405over404 = true;
            ServerProblems.install(c.jetty, json);
            c.validation.register(LocalDate.class, LocalDate::parse);
            // the web map (web-map/build.mjs): bundles named by a hash of their content are kept by browsers
            // for a year; everything else (the pages, sw.js, images) is revalidated on every use
            c.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = Location.CLASSPATH;
                files.headers = java.util.Map.of("Cache-Control", IMMUTABLE);
                files.skipFileFunction = request -> !isHashedBundle(request.getRequestURI());
            });
            c.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = Location.CLASSPATH;
                files.headers = java.util.Map.of("Cache-Control", "no-cache");
                files.skipFileFunction = request -> isHashedBundle(request.getRequestURI());
            });
            c.router.apiBuilder(Routes.table(controllers));
            c.jetty.modifyServletContextHandler(handler -> RequestAdmission.install(handler, config.capacity()));
        });
        app.before(QueryParams::refuseNul);
        app.before(new SecurityHeaders(config.tileUrl())::apply);
        app.beforeMatched(access::check);
        var clients = new ClientWatch();
        app.beforeMatched(ctx -> openDatabaseWork(ctx, router, access, clients));
        app.after(App::closeDatabaseWork);
        app.events(e -> e.serverStopped(() -> {
            clients.close();
            router.close();
        }));
        Problems.register(app, json);
        return app;
    }

    /** Cache-Control of the web map's hashed bundles (their content never changes under a name). */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** A bundle named by build.mjs with esbuild's content hash: /app-EADO7R2U.js, /report/report-I4TTHRZQ.css. */
    private static final java.util.regex.Pattern HASHED_BUNDLE = java.util.regex.Pattern.compile("/[\\w/-]*-[A-Z0-9]{8}\\.(js|css)");

    static boolean isHashedBundle(String path) {
        return path != null && HASHED_BUNDLE.matcher(path).matches();
    }

    /** Long-running request classes by path; everything else is interactive. */
    private static final java.util.regex.Pattern IMPORTS = java.util.regex.Pattern.compile(
            "/api/(boundaries/import|boundaries/neighbourhoods/[^/]+|populations(/apportion)?|incidents/import/[^/]+|assets/import)");
    private static final java.util.regex.Pattern EXPORTS = java.util.regex.Pattern.compile(
            "/api/(assets/export|meetings/[^/]+/briefing)");
    /**
     * Reads that go to the primary even when replicas exist: a warden's own reports (read-your-own-writes
     * for a device that may not have written through this instance), boundaries (a read that may fill
     * the simplification cache), and health (it reports on the database this instance writes to).
     */
    private static final java.util.regex.Pattern PRIMARY_READS = java.util.regex.Pattern.compile(
            "/api/(reports/mine|boundaries(/.*)?|health)");
    private static final String WORK = "aim.databaseWork";

    /** Opens the request's database work: its class (timeout), where it reads, and the client watch that cancels it. */
    private static void openDatabaseWork(io.javalin.http.Context ctx, DatabaseRouter router, AccessControl access, ClientWatch clients) {
        String path = ctx.path();
        boolean reads = switch (ctx.method().name()) {
            case "GET", "HEAD", "OPTIONS" -> true;
            default -> false;
        };
        DatabaseRouter.Work work = !reads && IMPORTS.matcher(path).matches() ? DatabaseRouter.Work.IMPORT
                : reads && EXPORTS.matcher(path).matches() ? DatabaseRouter.Work.EXPORT : DatabaseRouter.Work.INTERACTIVE;
        // the caller was resolved by the access check for endpoints with roles; public ones read as anyone
        Long userId = ctx.routeRoles().isEmpty() ? null : access.current(ctx).map(aim.accounts.User::id).orElse(null);
        DatabaseRouter.Scope scope = router.open(work, reads, userId, PRIMARY_READS.matcher(path).matches());
        Runnable unwatch = clients.watch(ctx, scope);
        ctx.attribute(Problems.STATEMENT_TIMEOUT_ATTRIBUTE, router.timeoutMs(work));
        ctx.attribute(WORK, (AutoCloseable) () -> {
            unwatch.run();
            scope.close();
        });
    }

    private static void closeDatabaseWork(io.javalin.http.Context ctx) throws Exception {
        AutoCloseable work = ctx.attribute(WORK);
        if (work != null) work.close();
    }
}
