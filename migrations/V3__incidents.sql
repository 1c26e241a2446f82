-- One incident store for every source: police.uk crime and ASB, council-recorded ASB and
-- environmental crime, warden and public reports. Locations are points in EPSG:27700 (metres).

CREATE TABLE incident_category (
    code       text    PRIMARY KEY,
    label      text    NOT NULL,
    grp        text    NOT NULL CHECK (grp IN ('police', 'asb', 'environmental', 'fly-tipping', 'hate')),
    -- exact locations of sensitive categories are generalised for roles without personal-data access
    sensitive  boolean NOT NULL DEFAULT false,
    -- the police.uk "Crime type" this category is, if any
    police_type text   UNIQUE,
    sort       integer NOT NULL
);

INSERT INTO incident_category (code, label, grp, sensitive, police_type, sort) VALUES
    ('anti-social-behaviour',        'Anti-social behaviour',          'police', false, 'Anti-social behaviour', 10),
    ('bicycle-theft',                'Bicycle theft',                  'police', false, 'Bicycle theft', 11),
    ('burglary',                     'Burglary',                       'police', false, 'Burglary', 12),
    ('criminal-damage-arson',        'Criminal damage and arson',      'police', false, 'Criminal damage and arson', 13),
    ('drugs',                        'Drugs',                          'police', false, 'Drugs', 14),
    ('other-crime',                  'Other crime',                    'police', false, 'Other crime', 15),
    ('other-theft',                  'Other theft',                    'police', false, 'Other theft', 16),
    ('possession-of-weapons',        'Possession of weapons',          'police', false, 'Possession of weapons', 17),
    ('public-order',                 'Public order',                   'police', false, 'Public order', 18),
    ('robbery',                      'Robbery',                        'police', false, 'Robbery', 19),
    ('shoplifting',                  'Shoplifting',                    'police', false, 'Shoplifting', 20),
    ('theft-from-the-person',        'Theft from the person',          'police', false, 'Theft from the person', 21),
    ('vehicle-crime',                'Vehicle crime',                  'police', false, 'Vehicle crime', 22),
    ('violence-and-sexual-offences', 'Violence and sexual offences',   'police', true,  'Violence and sexual offences', 23),
    ('asb-noise',                    'ASB: noise',                     'asb', false, NULL, 30),
    ('asb-nuisance',                 'ASB: nuisance behaviour',        'asb', false, NULL, 31),
    ('asb-youths-congregating',      'ASB: youths congregating',       'asb', false, NULL, 32),
    ('asb-neighbour-dispute',        'ASB: neighbour dispute',         'asb', true,  NULL, 33),
    ('asb-drug-activity',            'ASB: drug activity',             'asb', false, NULL, 34),
    ('env-graffiti',                 'Environmental: graffiti',        'environmental', false, NULL, 40),
    ('env-dog-fouling',              'Environmental: dog fouling',     'environmental', false, NULL, 41),
    ('env-littering',                'Environmental: littering',       'environmental', false, NULL, 42),
    ('env-abandoned-vehicle',        'Environmental: abandoned vehicle','environmental', false, NULL, 43),
    ('racially-motivated',           'Racially motivated incident',    'hate', true, NULL, 50),
    ('fly-tipping',                  'Fly-tipping',                    'fly-tipping', false, NULL, 60);

CREATE TABLE incident (
    id                 bigserial   PRIMARY KEY,
    source             text        NOT NULL CHECK (source IN ('police', 'council', 'warden', 'public')),
    category           text        NOT NULL REFERENCES incident_category (code),
    -- the start of the period the incident is known to: the minute, the day, or (police.uk) the month
    occurred_at        timestamptz NOT NULL,
    occurred_precision text        NOT NULL CHECK (occurred_precision IN ('minute', 'day', 'month')),
    geom               geometry(Point, 27700),
    location_precision text        NOT NULL CHECK (location_precision IN ('gps', 'exact', 'snapped', 'area')),
    accuracy_m         real        CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
    location_text      text,
    -- the small area (police.uk LSOA) or ward code the source gives
    area_code          text,
    status             text        NOT NULL DEFAULT 'open'
                                   CHECK (status IN ('open', 'assigned', 'cleared', 'closed', 'no-action')),
    assigned_to        text,
    outcome            text,
    description        text,
    reporter_name      text,
    reporter_contact   text,
    fly_size           text CHECK (fly_size IN ('single-black-bag', 'single-item', 'car-boot', 'small-van',
                                                'transit-van', 'tipper-lorry', 'significant-multiple')),
    fly_waste_type     text CHECK (fly_waste_type IN ('household', 'commercial', 'construction', 'green', 'white-goods',
                                                      'other-electrical', 'tyres', 'vehicle-parts', 'animal-carcass',
                                                      'clinical', 'chemical-fuel-oil', 'asbestos', 'other')),
    fly_land_type      text CHECK (fly_land_type IN ('highway', 'footpath-bridleway', 'back-alley', 'council-land',
                                                     'private-residential', 'watercourse-bank', 'agricultural', 'railway',
                                                     'commercial-industrial', 'other')),
    recorded_by        bigint      REFERENCES app_user (id),
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- stable key from the source so that re-imports and retried requests add nothing
    external_key       text        NOT NULL,
    UNIQUE (source, external_key),
    CHECK ((geom IS NULL) = (location_precision = 'area'))
);
CREATE INDEX incident_geom_idx ON incident USING gist (geom);
CREATE INDEX incident_occurred_idx ON incident (occurred_at);
CREATE INDEX incident_category_idx ON incident (category);
CREATE INDEX incident_recorded_by_idx ON incident (recorded_by, recorded_at);

-- Who changed what and when: creation, status changes and edits.
CREATE TABLE incident_event (
    id          bigserial   PRIMARY KEY,
    incident_id bigint      NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    by_user     bigint      REFERENCES app_user (id),
    kind        text        NOT NULL CHECK (kind IN ('created', 'status', 'edit', 'photo')),
    from_status text,
    to_status   text,
    changes     jsonb
);
CREATE INDEX incident_event_incident_idx ON incident_event (incident_id, at);

-- A report's Idempotency-Key, so a retried POST returns the first report and creates nothing.
CREATE TABLE idempotency_key (
    user_id      bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    incident_id  bigint      NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

-- Photos: the original as uploaded (seen only by its uploader and admins) and a re-encoded copy
-- without any metadata (no GPS position), which everyone else gets.
CREATE TABLE incident_photo (
    id            bigserial   PRIMARY KEY,
    incident_id   bigint      NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    content_type  text        NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    sha256        text        NOT NULL,
    original      bytea       NOT NULL,
    stripped      bytea       NOT NULL,
    width         integer     NOT NULL,
    height        integer     NOT NULL,
    uploaded_by   bigint      REFERENCES app_user (id),
    uploaded_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (incident_id, sha256)
);
