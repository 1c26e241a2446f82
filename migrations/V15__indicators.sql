-- The performance framework (issue 12): indicators, their imported values and targets per area.
--
-- * An indicator is computed from incidents (kind 'computed': a category group, or every category, and a
--   source group: police-reported = source police, public-reported = council or public, warden = warden)
--   or imported from a partner: a 'survey' percentage per area and wave with its sample size n, a 'count'
--   per area and period (AIM computes rates per 1,000), or a 'score' per area (e.g. IMD by LSOA).
-- * direction: which way is good ('down': fewer is better; 'up': more is better).
-- * Values are kept by area CODE and level (ward, LSOA or zone), not by boundary id, so they survive a new
--   boundary version; readers map LSOAs to the wards holding their point-on-surface at read time.
-- * A re-import of the same indicator and period replaces every value of that period (the importer deletes
--   and inserts in one transaction).
-- * Targets: one per indicator and area code ('*' = every area without its own), on the value or on the
--   rate per 1,000, with an amber tolerance in percent of the target.

CREATE TABLE indicator (
    code           text    PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9._-]{0,79}$'),
    name           text    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind           text    NOT NULL CHECK (kind IN ('computed', 'survey', 'count', 'score')),
    direction      text    NOT NULL CHECK (direction IN ('down', 'up')),
    source         text    NOT NULL,
    licence        text    NOT NULL,
    category_group text    CHECK (category_group IN ('police', 'asb', 'environmental', 'fly-tipping', 'hate')),
    source_group   text    CHECK (source_group IN ('police', 'public', 'warden', 'all')),
    sort           integer NOT NULL DEFAULT 100,
    demo           boolean NOT NULL DEFAULT false,
    CHECK ((kind = 'computed') = (source_group IS NOT NULL)),
    CHECK (kind = 'computed' OR category_group IS NULL)
);

CREATE TABLE indicator_value (
    indicator_code text             NOT NULL REFERENCES indicator (code) ON DELETE CASCADE,
    period_start   date             NOT NULL,
    period_end     date             NOT NULL CHECK (period_end >= period_start),
    period_label   text             NOT NULL,
    area_level     text             NOT NULL CHECK (area_level IN ('ward', 'lsoa', 'zone')),
    area_code      text             NOT NULL,
    value          double precision NOT NULL CHECK (value = value AND value NOT IN ('Infinity', '-Infinity')),
    n              integer          CHECK (n > 0),
    imported_at    timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (indicator_code, period_start, period_end, area_level, area_code)
);

CREATE TABLE indicator_target (
    indicator_code    text             NOT NULL REFERENCES indicator (code) ON DELETE CASCADE,
    area_code         text             NOT NULL,
    measure           text             NOT NULL DEFAULT 'value' CHECK (measure IN ('value', 'rate')),
    target            double precision NOT NULL CHECK (target = target AND target NOT IN ('Infinity', '-Infinity')),
    tolerance_percent double precision NOT NULL DEFAULT 10 CHECK (tolerance_percent >= 0 AND tolerance_percent <= 1000),
    PRIMARY KEY (indicator_code, area_code)
);

INSERT INTO indicator (code, name, kind, direction, source, licence, category_group, source_group, sort) VALUES
    ('incidents-police', 'Police-reported incidents', 'computed', 'down',
     'AIM incidents imported from data.police.uk street-level crime and ASB', 'Open Government Licence v3.0', NULL, 'police', 10),
    ('incidents-public', 'Council/public-reported incidents', 'computed', 'down',
     'AIM incidents from council systems and public reports', 'Council data (internal)', NULL, 'public', 11),
    ('incidents-warden', 'Warden-reported incidents', 'computed', 'down',
     'AIM warden reports', 'Council data (internal)', NULL, 'warden', 12),
    ('asb-public', 'Anti-social behaviour reported to the council', 'computed', 'down',
     'AIM incidents from council systems and public reports', 'Council data (internal)', 'asb', 'public', 21),
    ('environmental-public', 'Environmental incidents reported to the council', 'computed', 'down',
     'AIM incidents from council systems and public reports', 'Council data (internal)', 'environmental', 'public', 22),
    ('fly-tipping-all', 'Fly-tipping (every source)', 'computed', 'down',
     'AIM incidents from council systems, warden and public reports', 'Council data (internal)', 'fly-tipping', 'all', 23);
