package aim.tiles;

import aim.accounts.User;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.boundaries.BoundaryVersions;
import aim.core.DomainException;
import aim.db.DataVersions;
import aim.hotspots.Grid;
import aim.hotspots.HotCells;
import aim.hotspots.HotspotEngine;
import aim.hotspots.HotspotRepository;
import aim.incidents.IncidentFilter;
import aim.incidents.Redaction;
import aim.incidents.TaxonomyRepository;
import aim.web.ConditionalGet;
import aim.web.AccessControl;
import aim.web.QueryParams;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /tiles/{layer}/{z}/{x}/{y}.mvt} (Mapbox Vector Tile) and {@code GET /tiles/{layer}.json}
 * (TileJSON 3.0.0). Layers: {@code wards} and {@code neighbourhoods} (public; {@code version}),
 * {@code incidents} and {@code hotspots} (signed in; {@code from}, {@code to}, {@code category},
 * {@code source}, {@code area}, {@code version} as the analysis endpoints, and for hotspots {@code cell}).
 *
 * <p>An empty tile is {@code 204 No Content}. Every tile has an ETag: the data versions it depends
 * on ({@link DataVersions}) and a digest of the layer, the tile, the parsed parameters and, for the
 * signed-in layers, the caller (the user for a role {@link Redaction} applies to, whose own sensitive
 * incidents are exact; else the role); {@code If-None-Match} with it is answered 304.
 */
public final class TileController {
    /** Seconds a public boundary tile may be reused without asking. */
    static final int BOUNDARY_MAX_AGE = 300;

    private final TileRepository tiles;
    private final HotspotEngine hotspots;
    private final BoundaryRepository boundaries;
    private final TaxonomyRepository taxonomies;
    private final DataVersions versions;
    private final AccessControl access;
    private final String publicOrigin;
    private final int maxZoom;
    private final RecentHotCells recentHotCells = new RecentHotCells();
    private final BoundaryTiles boundaryTiles = new BoundaryTiles();

    public TileController(TileRepository tiles, HotspotEngine hotspots, BoundaryRepository boundaries, TaxonomyRepository taxonomies,
                          DataVersions versions, AccessControl access, String publicOrigin, int maxZoom) {
        this.tiles = tiles;
        this.hotspots = hotspots;
        this.boundaries = boundaries;
        this.taxonomies = taxonomies;
        this.versions = versions;
        this.access = access;
        this.publicOrigin = publicOrigin;
        this.maxZoom = maxZoom;
    }

    /** A layer's request, parsed: what its tiles depend on ({@code key}) and how to make one. */
    private interface Request {
        String key();

        byte[] tile(TileAddress t);
    }

    /** GET /tiles/{layer}/{z}/{x}/{y}.mvt */
    public void tile(Context ctx) {
        TileLayer layer = layer(ctx);
        TileAddress address = TileAddress.parse(ctx.pathParam("z"), ctx.pathParam("x"), ctx.pathParam("y"), maxZoom);
        User user = layer.signedIn ? access.required(ctx) : null;
        // the data versions are read before the tile, so a change made meanwhile gives a newer tag next time
        String dataTag = layer.signedIn ? versions.tag("incidents", "boundaries") : versions.tag("boundaries");
        Request request = request(ctx, layer, user, dataTag);
        String etag = "\"" + dataTag + "-" + ConditionalGet.digest(layer.id + "|" + address + "|" + request.key()) + "\"";
        if (layer.signedIn) {
            ctx.header("Cache-Control", "private, no-cache");
            ctx.header("Vary", "Authorization, Cookie");
        } else {
            ctx.header("Cache-Control", "public, max-age=" + BOUNDARY_MAX_AGE);
        }
        if (ConditionalGet.notModified(ctx, etag)) return;
        byte[] mvt = request.tile(address);
        if (mvt.length == 0) {
            ctx.status(204);
            return;
        }
        ctx.contentType("application/vnd.mapbox-vector-tile").result(mvt);
    }

    /** GET /tiles/{layer}.json: the layer's TileJSON 3.0.0, its tile URL carrying this request's parameters. */
    public void tileJson(Context ctx) {
        String id = ctx.pathParam("layer");
        if (!id.endsWith(".json")) throw DomainException.notFound("layer", "no tile layer '" + id + "'");
        TileLayer layer = TileLayer.of(id.substring(0, id.length() - ".json".length()))
                .orElseThrow(() -> DomainException.notFound("layer", "no tile layer '" + id + "'; layers: " + layerNames()));
        User user = layer.signedIn ? access.required(ctx) : null;
        request(ctx, layer, user, ""); // refuses bad parameters here, not on every tile
        String origin = publicOrigin != null ? publicOrigin : ctx.scheme() + "://" + ctx.host();
        String query = ctx.queryString() == null || ctx.queryString().isBlank() ? "" : "?" + ctx.queryString();
        List<BoundarySet> wards = boundaries.current(BoundaryLevel.WARD);
        double[] bounds = wards.isEmpty() ? null : tiles.bounds(wards.get(0).id());
        if (bounds == null) bounds = new double[]{-10, 49, 4, 62};

        Map<String, Object> vectorLayer = new LinkedHashMap<>();
        vectorLayer.put("id", layer.id);
        vectorLayer.put("description", layer.description);
        vectorLayer.put("minzoom", 0);
        vectorLayer.put("maxzoom", maxZoom);
        vectorLayer.put("fields", layer.fields);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tilejson", "3.0.0");
        body.put("name", "AIM " + layer.id);
        body.put("description", layer.description);
        body.put("scheme", "xyz");
        body.put("tiles", List.of(origin + "/tiles/" + layer.id + "/{z}/{x}/{y}.mvt" + query));
        body.put("minzoom", 0);
        body.put("maxzoom", maxZoom);
        body.put("bounds", List.of(bounds[0], bounds[1], bounds[2], bounds[3]));
        body.put("center", List.of((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 12));
        body.put("attribution", layer.signedIn ? "AIM (official-sensitive: signed-in use only)"
                : "Contains OS data © Crown copyright and database right");
        body.put("vector_layers", List.of(vectorLayer));
        ctx.header("Cache-Control", layer.signedIn ? "private, no-cache" : "public, max-age=" + BOUNDARY_MAX_AGE);
        ctx.json(body);
    }

    private static TileLayer layer(Context ctx) {
        String id = ctx.pathParam("layer");
        return TileLayer.of(id).orElseThrow(() -> DomainException.notFound("layer", "no tile layer '" + id + "'; layers: " + layerNames()));
    }

    private static String layerNames() {
        List<String> names = new ArrayList<>();
        for (TileLayer l : TileLayer.values()) names.add(l.id);
        return String.join(", ", names);
    }

    private Request request(Context ctx, TileLayer layer, User user, String dataTag) {
        return switch (layer) {
            case WARDS, NEIGHBOURHOODS -> {
                BoundaryLevel level = layer == TileLayer.WARDS ? BoundaryLevel.WARD : BoundaryLevel.NEIGHBOURHOOD;
                BoundarySet set = BoundaryVersions.one(boundaries, level, ctx.queryParam("version"));
                yield new Request() {
                    public String key() {
                        return "set " + set.id();
                    }

                    public byte[] tile(TileAddress t) {
                        // kept by the boundaries' data version, set and tile
                        return boundaryTiles.get(dataTag + " " + layer.id + " " + set.id() + " " + t,
                                () -> tiles.boundaries(layer, set.id(), set.version(), t));
                    }
                };
            }
            case INCIDENTS -> {
                IncidentFilter filter = QueryParams.incidentFilter(ctx, boundaries, taxonomies.load(), user);
                boolean areaGiven = ctx.queryParam("area") != null && !ctx.queryParam("area").isBlank()
                        && !ctx.queryParam("area").equals("borough");
                String key = filterKey(filter, user) + " area-limits-points " + areaGiven;
                yield new Request() {
                    public String key() {
                        return key;
                    }

                    public byte[] tile(TileAddress t) {
                        if (t.z() < TileRepository.POINTS_ZOOM) return tiles.incidentCounts(filter, t);
                        return tiles.incidentPoints(filter, areaGiven ? filter.area().geometry() : null, t);
                    }
                };
            }
            case HOTSPOTS -> {
                IncidentFilter filter = QueryParams.incidentFilter(ctx, boundaries, taxonomies.load(), user);
                int cell = QueryParams.integer(ctx, "cell", 250, Grid.MIN_SIZE, Grid.MAX_SIZE);
                String key = filterKey(filter, user) + " cell " + cell;
                yield new Request() {
                    public String key() {
                        return key;
                    }

                    public byte[] tile(TileAddress t) {
                        HotCells hot = recentHotCells.get(dataTag + " " + key, () -> {
                            try {
                                return hotspots.hotCells(filter, "gistar", cell);
                            } catch (HotspotRepository.TooManyCells e) {
                                throw DomainException.invalid("cell", "the study area has " + e.cells + " cells of " + cell
                                        + " m, too many: choose a larger cell");
                            }
                        });
                        return tiles.hotCells(hot, t);
                    }
                };
            }
        };
    }

    /** What the tiles of a filter depend on: its window, kinds, study area and the caller as Redaction sees them. */
    private static String filterKey(IncidentFilter f, User user) {
        String caller = Redaction.applies(user) ? "user " + user.id() : "role " + user.role().id();
        return "from " + f.from() + " to " + f.to() + " categories " + f.categories().stream().sorted().toList()
                + " sources " + f.sources().stream().sorted().toList() + " area " + f.area().setId() + ":" + f.area().code()
                + " " + caller;
    }
}
