-- Place and postcode search (GET /api/places): an address gazetteer of named points, imported from the
-- ONS Postcode Directory or Code-Point Open (postcodes) and OS Open Names (places, streets, postcodes) by
-- `./aim import gazetteer FILE`, or the demo's generated one. Points in British National Grid (EPSG:27700, metres).
-- pg_trgm (trusted, as in V16) for names spelt alike.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE gazetteer (
    id          bigserial PRIMARY KEY,
    kind        text    NOT NULL CHECK (kind IN ('postcode', 'street', 'place')),
    -- the source's identifier of the entry (OS Open Names ID; the postcode itself for postcode files):
    -- a re-import replaces the entry instead of adding it twice
    ref         text    NOT NULL,
    name        text    NOT NULL,
    -- what the search compares: a postcode in capitals without spaces ("TS12AB"), else the lower-case name
    search_key  text    NOT NULL,
    -- the postcode district (outward code, "TS1") of a postcode, or the one OS Open Names gives a place
    district    text,
    -- the source's own type ("Named Road", "Suburban Area", "Postcode") and where it is ("Middlesbrough")
    local_type  text,
    context     text,
    geom        geometry(Point, 27700) NOT NULL,
    -- the extent OS Open Names gives a street or place (its MBR), if any
    extent      geometry(Polygon, 27700),
    source      text    NOT NULL,
    licence     text    NOT NULL,
    demo        boolean NOT NULL DEFAULT false,
    imported_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, ref)
);
-- postcode lookups and prefixes ("TS12AB", "TS1") and names spelt alike (pg_trgm)
CREATE INDEX gazetteer_key_idx ON gazetteer (search_key text_pattern_ops);
CREATE INDEX gazetteer_district_idx ON gazetteer (district) WHERE kind = 'postcode';
CREATE INDEX gazetteer_name_trgm_idx ON gazetteer USING gin (name gin_trgm_ops);
-- boundary names searched by substring and by trigram similarity ("Linthorp" -> "Linthorpe")
CREATE INDEX boundary_name_trgm_idx ON boundary USING gin (name gin_trgm_ops);
