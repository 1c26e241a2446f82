-- Boundary store: versioned sets of ward, neighbourhood, zone and small-area (LSOA) polygons.
-- Geometries are stored in British National Grid (EPSG:27700, metres).
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE boundary_set (
    id           bigserial PRIMARY KEY,
    level        text        NOT NULL CHECK (level IN ('ward', 'neighbourhood', 'zone', 'lsoa')),
    version      text        NOT NULL CHECK (version ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    valid_from   date        NOT NULL,
    valid_to     date        CHECK (valid_to IS NULL OR valid_to > valid_from),
    -- for neighbourhood sets: the ward set whose wards they group
    based_on     bigint      REFERENCES boundary_set (id) ON DELETE RESTRICT,
    demo         boolean     NOT NULL DEFAULT false,
    attribution  text,
    source       text,
    imported_at  timestamptz NOT NULL DEFAULT now(),
    -- bumped on any change to the set's features or populations; feeds the ETag
    changed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (level, version)
);

CREATE TABLE boundary (
    id       bigserial PRIMARY KEY,
    set_id   bigint NOT NULL REFERENCES boundary_set (id) ON DELETE CASCADE,
    code     text   NOT NULL,
    name     text   NOT NULL,
    geom     geometry(MultiPolygon, 27700) NOT NULL,
    area_m2  double precision GENERATED ALWAYS AS (ST_Area(geom)) STORED,
    UNIQUE (set_id, code)
);
CREATE INDEX boundary_geom_idx ON boundary USING gist (geom);

-- Which wards make up each neighbourhood.
CREATE TABLE neighbourhood_ward (
    neighbourhood_id bigint NOT NULL REFERENCES boundary (id) ON DELETE CASCADE,
    ward_id          bigint NOT NULL REFERENCES boundary (id) ON DELETE CASCADE,
    PRIMARY KEY (neighbourhood_id, ward_id)
);
CREATE INDEX neighbourhood_ward_ward_idx ON neighbourhood_ward (ward_id);

-- Usual-resident population of an area in a year: imported directly, or apportioned
-- from small areas (LSOA) by area share.
CREATE TABLE population (
    boundary_id bigint  NOT NULL REFERENCES boundary (id) ON DELETE CASCADE,
    year        integer NOT NULL CHECK (year BETWEEN 1800 AND 2200),
    population  integer NOT NULL CHECK (population >= 0),
    method      text    NOT NULL CHECK (method IN ('imported', 'apportioned')),
    source      text,
    PRIMARY KEY (boundary_id, year)
);

-- Simplified copies of a set's geometries, computed with a coverage simplifier so that
-- shared edges stay shared; filled on first request for a tolerance, dropped with the set.
CREATE TABLE boundary_simplified (
    boundary_id bigint  NOT NULL REFERENCES boundary (id) ON DELETE CASCADE,
    tolerance_m integer NOT NULL,
    geom        geometry(MultiPolygon, 27700) NOT NULL,
    PRIMARY KEY (boundary_id, tolerance_m)
);

-- The latest population of every area. A neighbourhood without its own figure gets the sum of its
-- wards for a year in which every one of its wards has a figure.
CREATE VIEW latest_population AS
WITH ward_sums AS (
    SELECT nw.neighbourhood_id AS boundary_id, p.year, sum(p.population)::integer AS population,
           'summed from wards' AS method, count(*) AS wards_with_figure
    FROM neighbourhood_ward nw
    JOIN population p ON p.boundary_id = nw.ward_id
    GROUP BY nw.neighbourhood_id, p.year
), complete_sums AS (
    SELECT s.boundary_id, s.year, s.population, s.method
    FROM ward_sums s
    WHERE s.wards_with_figure = (SELECT count(*) FROM neighbourhood_ward x WHERE x.neighbourhood_id = s.boundary_id)
), all_figures AS (
    SELECT boundary_id, year, population, method, 0 AS preference FROM population
    UNION ALL
    SELECT boundary_id, year, population, method, 1 FROM complete_sums
)
SELECT DISTINCT ON (boundary_id) boundary_id, year, population, method
FROM all_figures
ORDER BY boundary_id, year DESC, preference;
