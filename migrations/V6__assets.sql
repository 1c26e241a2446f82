-- Community assets: places (hubs, libraries, schools, parks…), services (what is offered, by whom,
-- for whom, when and where; Open Referral UK fields) and people (community champions, residents'
-- groups, volunteers: personal data). Geometries are stored in British National Grid (EPSG:27700).

-- A managed, hierarchical taxonomy; admins add categories (POST /api/assets/categories). A filter on a
-- category includes its descendants. A category's parent must exist first and is never changed, so the
-- tree has no cycles.
CREATE TABLE asset_category (
    code       text        PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    label      text        NOT NULL CHECK (btrim(label) <> ''),
    parent     text        REFERENCES asset_category (code) ON DELETE RESTRICT,
    sort       integer     NOT NULL DEFAULT 1000,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX asset_category_parent_idx ON asset_category (parent);

INSERT INTO asset_category (code, label, parent, sort) VALUES
    ('community',               'Community facilities',            NULL,          10),
    ('community-hub',           'Community hub',                   'community',   11),
    ('community-centre',        'Community centre or hall',        'community',   12),
    ('library',                 'Library',                         'community',   13),
    ('place-of-worship',        'Place of worship',                'community',   14),
    ('food-bank',               'Food bank or pantry',             'community',   15),
    ('housing-office',          'Housing office',                  'community',   16),
    ('education',               'Education',                       NULL,          20),
    ('school',                  'School',                          'education',   21),
    ('primary-school',          'Primary school',                  'school',      22),
    ('secondary-school',        'Secondary school',                'school',      23),
    ('early-years',             'Early years and family hub',      'education',   24),
    ('adult-learning',          'Adult learning',                  'education',   25),
    ('health',                  'Health',                          NULL,          30),
    ('gp-surgery',              'GP surgery',                      'health',      31),
    ('pharmacy',                'Pharmacy',                        'health',      32),
    ('dentist',                 'Dentist',                         'health',      33),
    ('mental-health-support',   'Mental health support',           'health',      34),
    ('children-young-people',   'Children and young people',       NULL,          40),
    ('youth-provision',         'Youth provision',                 'children-young-people', 41),
    ('youth-club',              'Youth club',                      'youth-provision', 42),
    ('youth-outreach',          'Detached and outreach youth work','youth-provision', 43),
    ('play-area',               'Play area',                       'children-young-people', 44),
    ('leisure',                 'Parks, sport and leisure',        NULL,          50),
    ('park-green-space',        'Park or green space',             'leisure',     51),
    ('sports-facility',         'Sports facility',                 'leisure',     52),
    ('allotment',               'Allotment or community garden',   'leisure',     53),
    ('safety',                  'Community safety',                NULL,          60),
    ('police-base',             'Police base',                     'safety',      61),
    ('fire-station',            'Fire station',                    'safety',      62),
    ('advice-support',          'Advice and support',              NULL,          70),
    ('money-advice',            'Money, debt and benefits advice', 'advice-support', 71),
    ('employment-support',      'Employment and skills support',   'advice-support', 72),
    ('domestic-abuse-support',  'Domestic abuse support',          'advice-support', 73),
    ('substance-misuse-support','Drug and alcohol support',        'advice-support', 74),
    ('older-people-support',    'Support for older people',        'advice-support', 75),
    ('people',                  'People and groups',               NULL,          90),
    ('community-champion',      'Community champion',              'people',      91),
    ('residents-group',         'Residents'' group',               'people',      92),
    ('volunteer',               'Volunteer',                       'people',      93),
    ('neighbourhood-watch',     'Neighbourhood watch',             'people',      94);

-- Organisations that run services (Open Referral UK "organization"); uid is the exchanged id.
CREATE TABLE organisation (
    id          bigserial PRIMARY KEY,
    uid         uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    description text,
    email       text,
    url         text,
    logo        text,
    uri         text
);
CREATE INDEX organisation_name_idx ON organisation (lower(name));

CREATE TABLE asset (
    id                 bigserial   PRIMARY KEY,
    -- the stable identifier exchanged with other systems (Open Referral service id, CSV uid)
    uid                uuid        NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    kind               text        NOT NULL CHECK (kind IN ('place', 'service', 'people')),
    category           text        NOT NULL REFERENCES asset_category (code),
    name               text        NOT NULL CHECK (btrim(name) <> ''),
    description        text,
    organisation_id    bigint      REFERENCES organisation (id),
    -- a point or a footprint (building, park); a service's own geometry is the point where it is delivered
    geom               geometry(Geometry, 27700)
                       CHECK (geom IS NULL OR (ST_GeometryType(geom) IN ('ST_Point', 'ST_Polygon', 'ST_MultiPolygon')
                                               AND ST_IsValid(geom))),
    -- Open Referral physical address: address_1, city, state_province, postal_code, country
    address            jsonb       CHECK (address IS NULL OR jsonb_typeof(address) = 'object'),
    -- the name of the venue where a service is delivered (Open Referral location name)
    venue              text,
    url                text,
    email              text,
    phone              text,
    status             text        NOT NULL DEFAULT 'active'
                                   CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
    -- cost in words (Open Referral "fees"); structured prices are in cost_options
    fees               text,
    -- how to get the service: self-referral, GP referral, drop in … (Open Referral application_process)
    referral           text,
    attending_type     text,
    attending_access   text,
    deliverable_type   text,
    -- lists of Open Referral-shaped records (see aim.assets.AssetInput); validated by the application
    contacts           jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(contacts) = 'array'),
    schedules          jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(schedules) = 'array'),
    eligibility        jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(eligibility) = 'array'),
    cost_options       jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(cost_options) = 'array'),
    languages          text[]      NOT NULL DEFAULT '{}',
    -- the area a service serves: ward codes (of the ward set current when queried) and/or a polygon
    service_area_wards text[]      NOT NULL DEFAULT '{}',
    service_area_geom  geometry(MultiPolygon, 27700) CHECK (service_area_geom IS NULL OR ST_IsValid(service_area_geom)),
    service_area_name  text,
    -- when the record was last confirmed as correct; "stale" after AIM_ASSET_STALE_DAYS
    last_checked       date        NOT NULL DEFAULT current_date,
    demo               boolean     NOT NULL DEFAULT false,
    source             text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         bigint      REFERENCES app_user (id),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    updated_by         bigint      REFERENCES app_user (id),
    -- retired (DELETE) assets are kept, hidden from lists unless asked for
    retired_at         timestamptz,
    retired_by         bigint      REFERENCES app_user (id),
    CHECK (kind <> 'place' OR geom IS NOT NULL)
);
CREATE INDEX asset_geom_idx ON asset USING gist (geom);
CREATE INDEX asset_category_idx ON asset (category);
CREATE INDEX asset_kind_idx ON asset (kind) WHERE retired_at IS NULL;
CREATE INDEX asset_organisation_idx ON asset (organisation_id);

-- Every read of people assets (personal data): who, when, which assets, through which endpoint.
CREATE TABLE asset_audit (
    id        bigserial   PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    user_id   bigint      REFERENCES app_user (id),
    username  text        NOT NULL,
    role      text        NOT NULL,
    endpoint  text        NOT NULL,
    asset_ids bigint[]    NOT NULL
);
CREATE INDEX asset_audit_at_idx ON asset_audit (at);
CREATE INDEX asset_audit_assets_idx ON asset_audit USING gin (asset_ids);
