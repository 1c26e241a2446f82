package aim.web;

import aim.accounts.AccountController;
import aim.accounts.OrganisationController;
import aim.assets.AssetAnalysisController;
import aim.assets.AssetController;
import aim.boundaries.BoundaryController;
import aim.evaluation.EvaluationController;
import aim.areas.AreaController;
import aim.hotspots.HotspotController;
import aim.incidents.IncidentController;
import aim.indicators.IndicatorController;
import aim.incidents.IncidentImportController;
import aim.meetings.MeetingController;
import aim.ogc.OgcController;
import aim.places.PlaceController;
import aim.problems.ProblemController;
import aim.publicdata.PublicDataController;
import aim.reports.ReportController;
import aim.tiles.TileController;
import io.javalin.apibuilder.EndpointGroup;

import static aim.accounts.Role.ADMIN;
import static aim.accounts.Role.ANALYST;
import static aim.accounts.Role.ANY;
import static aim.accounts.Role.PLANNER;
import static aim.accounts.Role.WARDEN;
import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.patch;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;

/**
 * Every endpoint of the API in one table. An endpoint listed with roles needs a signed-in user with
 * one of them (checked by {@link aim.web.AccessControl}); one without roles is public. Every
 * write not signed with an API token must come from AIM's own pages ({@link aim.web.SameOriginWrites}).
 */
final class Routes {
    private Routes() {
    }

    record Controllers(HealthController service, AccountController accounts, BoundaryController boundaries,
                       IncidentController incidents, IncidentImportController incidentImports,
                       ReportController reports, HotspotController hotspots,
                       AreaController areas, AssetController assets, AssetAnalysisController assetAnalysis,
                       OrganisationController organisations, ProblemController problems,
                       MeetingController meetings, IndicatorController indicators, EvaluationController evaluation,
                       OgcController ogc, PlaceController places, PublicDataController publicData,
                       TileController tiles) {
    }

    static EndpointGroup table(Controllers c) {
        return () -> {
            path("api", () -> api(c));
            // OGC API – Features (Part 1 core, GeoJSON, OAS 3.0; Part 2 CRS): public; the controller answers 401 for the
            // collections that need a signed-in caller and lists only those the caller may read
            path("ogc", () -> {
                get(c.ogc()::landing);
                get("api", c.ogc()::api);
                get("conformance", c.ogc()::conformance);
                get("collections", c.ogc()::collections);
                get("collections/{collectionId}", c.ogc()::collection);
                get("collections/{collectionId}/schema", c.ogc()::schema);
                get("collections/{collectionId}/items", c.ogc()::items);
                get("collections/{collectionId}/items/{featureId}", c.ogc()::item);
            });
            // vector tiles (aim.tiles): Mapbox Vector Tiles of wards, neighbourhoods (public), incidents and hotspots
            // (signed in: the layer is checked by the controller) and a TileJSON document per layer
            get("tiles/{layer}", c.tiles()::tileJson);
            get("tiles/{layer}/{z}/{x}/{y}.mvt", c.tiles()::tile);
        };
    }

    private static void api(Controllers c) {
            get("health", c.service()::health);
            get("config", c.service()::mapConfig);
            get("openapi.json", c.service()::openApi);
            // API reference: Swagger UI over openapi.json (its own, stricter Content-Security-Policy: SecurityHeaders)
            get("docs", c.service()::docs);

            post("login", c.accounts()::logIn);
            post("logout", c.accounts()::logOut);
            get("me", c.accounts()::me, ANY);
            post("me/tokens", c.accounts()::createToken, ANY);
            get("me/tokens", c.accounts()::myTokens, ANY);
            delete("me/tokens/{id}", c.accounts()::revokeMyToken, ANY);
            get("users", c.accounts()::listUsers, ADMIN);
            post("users", c.accounts()::createUser, ADMIN);
            get("users/{username}/tokens", c.accounts()::userTokens, ADMIN);
            delete("users/{username}/tokens/{id}", c.accounts()::revokeUserToken, ADMIN);

            // partner organisations of the AIM group
            get("organisations", c.organisations()::list, ANY);
            post("organisations", c.organisations()::create, ADMIN);
            patch("organisations/{id}", c.organisations()::update, ADMIN);

            // the AIM group's problems (OSARA), their actions for partners and escalations from the NAPs; who sees
            // which actions is aim.problems.ActionVisibility, and who may change one is checked by the repository
            get("problems", c.problems()::list, ANY);
            post("problems", c.problems()::create, ANALYST, ADMIN);
            get("problems/{id}", c.problems()::one, ANY);
            patch("problems/{id}", c.problems()::update, ANALYST, ADMIN);
            post("problems/{id}/actions", c.problems()::addAction, ANALYST, ADMIN);
            post("problems/{id}/escalations", c.problems()::escalate, ANALYST, ADMIN);
            get("actions", c.problems()::listActions, ANY);
            patch("actions/{id}", c.problems()::updateAction, ANY);
            patch("escalations/{id}", c.problems()::decide, ANALYST, ADMIN);

            get("boundaries", c.boundaries()::list);
            get("boundaries/versions", c.boundaries()::versions);
            post("boundaries/import", c.boundaries()::importFile, ADMIN);
            put("boundaries/neighbourhoods/{version}", c.boundaries()::defineNeighbourhoods, ADMIN);
            get("boundaries/{level}/{code}", c.boundaries()::one);

            post("populations", c.boundaries()::importPopulation, ADMIN);
            post("populations/apportion", c.boundaries()::apportionPopulation, ADMIN);

            get("incidents", c.incidents()::list, ANY);
            get("incidents/categories", c.incidents()::categories);
            post("incidents/import/police", c.incidentImports()::importPolice, ADMIN, ANALYST);
            post("incidents/import/council", c.incidentImports()::importCouncil, ADMIN, ANALYST);
            get("incidents/{id}", c.incidents()::one, ANY);

            // the AIM group's area views: rates per 1,000 residents, and series by month or financial-year quarter
            get("areas/stats", c.areas()::stats, ANY);
            get("areas/{level}/{code}/series", c.areas()::series, ANY);

            get("hotspots", c.hotspots()::map, ANY);
            get("hotspots/emerging", c.hotspots()::emerging, ANY);
            get("hotspots/accuracy", c.hotspots()::accuracy, ANY);

            // community assets; people assets (personal data) only for admins and analysts, audited (checked by the controllers)
            get("assets", c.assets()::list, ANY);
            post("assets", c.assets()::create, PLANNER, ADMIN);
            get("assets/categories", c.assets()::categories);
            post("assets/categories", c.assets()::addCategory, ADMIN);
            get("assets/search", c.assetAnalysis()::search, ANY);
            get("assets/nearest", c.assetAnalysis()::nearest, ANY);
            get("assets/coverage", c.assetAnalysis()::coverage, ANY);
            get("assets/gaps", c.assetAnalysis()::gaps, ANY);
            get("assets/export", c.assets()::export, ANY);
            post("assets/import", c.assets()::importFile, PLANNER, ADMIN);
            get("assets/{id}", c.assets()::one, ANY);
            put("assets/{id}", c.assets()::replace, PLANNER, ADMIN);
            delete("assets/{id}", c.assets()::retire, PLANNER, ADMIN);

            // warden reports; a warden reads and changes only the reports they recorded (checked by the controller)
            post("reports", c.reports()::create, WARDEN, ANALYST, ADMIN);
            get("reports/mine", c.reports()::mine, ANY);
            get("reports/{id}", c.reports()::one, ANY);
            patch("reports/{id}", c.reports()::edit, WARDEN, ANALYST, ADMIN);
            patch("reports/{id}/status", c.reports()::changeStatus, WARDEN, ANALYST, ADMIN);
            get("reports/{id}/history", c.reports()::history, ANY);
            post("reports/{id}/photos", c.reports()::addPhoto, WARDEN, ANALYST, ADMIN);
            get("reports/{id}/photos/{photoId}", c.reports()::photo, ANY);

            // meetings of the AIM group and their briefing (JSON, HTML or PDF; the caller's redaction and action visibility)
            post("meetings", c.meetings()::create, ANALYST, ADMIN);
            get("meetings", c.meetings()::list, ANY);
            get("meetings/{id}", c.meetings()::one, ANY);
            patch("meetings/{id}", c.meetings()::edit, ANALYST, ADMIN);
            post("meetings/{id}/decisions", c.meetings()::addDecision, ANALYST, ADMIN);
            get("meetings/{id}/briefing", c.meetings()::briefing, ANY);

            // the performance framework: indicators (computed from incidents through the caller's redaction, or imported) and targets
            get("indicators", c.indicators()::table, ANY);
            get("indicators/definitions", c.indicators()::definitions, ANY);
            post("indicators/import", c.indicators()::importFile, ADMIN, ANALYST);
            get("indicators/{code}/targets", c.indicators()::targets, ANY);
            put("indicators/{code}/targets", c.indicators()::replaceTargets, ADMIN, ANALYST);

            // "did it work?": an intervention's target, buffer and control before and after (RES, WDQ), and control suggestions
            get("evaluation", c.evaluation()::evaluate, ANY);
            get("evaluation/controls", c.evaluation()::controls, ANY);

            // place and postcode search for the map: current areas by name or code, the gazetteer's postcodes and places
            get("places", c.places()::search, ANY);

            // the public view and open data: no sign-in, non-sensitive categories, small numbers suppressed (aim.publicdata)
            get("public/areas", c.publicData()::areas);
            get("public/hotspots", c.publicData()::hotspots);
    }
}
