-- The AIM group's working loop: partner organisations, problems (OSARA), actions for partners,
-- escalations from the Neighbourhood Action Partnerships (NAPs), and meetings with their decisions.
-- Every change is logged (who, when, what). Places are stored in British National Grid (EPSG:27700).

-- Partner agencies of the AIM group (police, wardens, housing, youth service, environment …); admin-managed.
-- Not the Open Referral `organisation` table of community assets: these are the members of the group.
CREATE TABLE partner_organisation (
    id          bigserial   PRIMARY KEY,
    code        text        NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    name        text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
    kind        text        NOT NULL CHECK (kind IN ('police', 'wardens', 'housing', 'youth', 'environment',
                                                     'health', 'fire', 'council', 'voluntary', 'other')),
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX partner_organisation_name_idx ON partner_organisation (lower(btrim(name)));

-- Users belong to one organisation (optional for staff roles, required for the partner role).
ALTER TABLE app_user ADD COLUMN organisation_id bigint REFERENCES partner_organisation (id);
ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check
    CHECK (role IN ('admin', 'analyst', 'warden', 'planner', 'viewer', 'partner'));
ALTER TABLE app_user ADD CONSTRAINT app_user_partner_organisation_check
    CHECK (role <> 'partner' OR organisation_id IS NOT NULL);
CREATE INDEX app_user_organisation_idx ON app_user (organisation_id);

-- A problem, worked through the OSARA stages (objective, scanning, analysis, response, assessment), then closed.
CREATE TABLE problem (
    id                   bigserial   PRIMARY KEY,
    title                text        NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    -- incident category codes the problem is about (incident_category.code); at least one
    categories           text[]      NOT NULL CHECK (cardinality(categories) >= 1),
    -- the place as the user gave it: {"ward": code} | {"neighbourhood": code} | {"polygon": true} | {"cell": 250, "cells": [[i, j], …]}
    place_spec           jsonb       NOT NULL,
    place_label          text        NOT NULL,
    geom                 geometry(MultiPolygon, 27700) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
    -- 'aim', or 'nap:<neighbourhood code>' while a NAP owns it
    owner                text        NOT NULL CHECK (owner = 'aim' OR owner ~ '^nap:[A-Za-z0-9._-]{1,64}$'),
    lead_organisation_id bigint      REFERENCES partner_organisation (id),
    stage                text        NOT NULL DEFAULT 'objective'
                                     CHECK (stage IN ('objective', 'scanning', 'analysis', 'response', 'assessment', 'closed')),
    objective            text        NOT NULL CHECK (length(btrim(objective)) BETWEEN 1 AND 2000),
    -- the measurable target: change the count of the problem's incidents in its place by target_percent
    -- (negative: reduce) over target_months from target_start, against the baseline period
    target_percent       numeric(6, 1) CHECK (target_percent BETWEEN -100 AND 1000),
    target_months        integer     CHECK (target_months BETWEEN 1 AND 36),
    target_baseline      text        CHECK (target_baseline IN ('same-period-last-year', 'previous-period')),
    target_start         date,
    CHECK ((target_percent IS NULL) = (target_months IS NULL)
       AND (target_percent IS NULL) = (target_baseline IS NULL)
       AND (target_percent IS NULL) = (target_start IS NULL)),
    start_date           date        NOT NULL,
    review_date          date        CHECK (review_date IS NULL OR review_date >= start_date),
    closed_on            date,
    created_by           bigint      NOT NULL REFERENCES app_user (id),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    -- bumped on every change: PATCH may send If-Match with it
    revision             integer     NOT NULL DEFAULT 1
);
CREATE INDEX problem_geom_idx ON problem USING gist (geom);
CREATE INDEX problem_owner_idx ON problem (owner, stage);

-- Everything that happened to a problem: creation, field changes, stage moves, escalations and their outcome.
CREATE TABLE problem_event (
    id          bigserial   PRIMARY KEY,
    problem_id  bigint      NOT NULL REFERENCES problem (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    by_user     bigint      REFERENCES app_user (id),
    kind        text        NOT NULL CHECK (kind IN ('created', 'changed', 'escalated', 'accepted', 'returned',
                                                     'action-added', 'decision')),
    -- {"field": {"from": …, "to": …}, …} for changes; free details otherwise
    changes     jsonb,
    note        text
);
CREATE INDEX problem_event_problem_idx ON problem_event (problem_id, at);
CREATE INDEX problem_event_at_idx ON problem_event (at);

-- Meetings of the AIM group.
CREATE TABLE meeting (
    id          bigserial   PRIMARY KEY,
    held_on     date        NOT NULL,
    title       text        NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    created_by  bigint      NOT NULL REFERENCES app_user (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_held_on_idx ON meeting (held_on);

CREATE TABLE meeting_attendee (
    meeting_id      bigint NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES partner_organisation (id),
    PRIMARY KEY (meeting_id, organisation_id)
);

CREATE TABLE meeting_agenda_item (
    meeting_id bigint  NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    problem_id bigint  NOT NULL REFERENCES problem (id) ON DELETE CASCADE,
    position   integer NOT NULL,
    PRIMARY KEY (meeting_id, problem_id)
);

-- Decisions recorded during a meeting, optionally against a problem.
CREATE TABLE meeting_decision (
    id          bigserial   PRIMARY KEY,
    meeting_id  bigint      NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    problem_id  bigint      REFERENCES problem (id) ON DELETE CASCADE,
    text        text        NOT NULL CHECK (length(btrim(text)) BETWEEN 1 AND 2000),
    recorded_by bigint      NOT NULL REFERENCES app_user (id),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_decision_meeting_idx ON meeting_decision (meeting_id);

-- An action for a partner organisation on a problem. "overdue" is computed (due before today and
-- still open, in progress or on hold). Operations (week of action, patrols) carry a start and end date.
CREATE TABLE problem_action (
    id              bigserial   PRIMARY KEY,
    problem_id      bigint      NOT NULL REFERENCES problem (id) ON DELETE CASCADE,
    title           text        NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    organisation_id bigint      NOT NULL REFERENCES partner_organisation (id),
    assignee_id     bigint      REFERENCES app_user (id),
    due             date        NOT NULL,
    starts_on       date,
    ends_on         date,
    CHECK ((starts_on IS NULL) = (ends_on IS NULL) AND (ends_on IS NULL OR ends_on >= starts_on)),
    status          text        NOT NULL DEFAULT 'open'
                                CHECK (status IN ('open', 'in-progress', 'done', 'on-hold', 'cancelled')),
    completed_on    date,
    -- the meeting at which it was agreed, if any
    meeting_id      bigint      REFERENCES meeting (id) ON DELETE SET NULL,
    created_by      bigint      NOT NULL REFERENCES app_user (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    revision        integer     NOT NULL DEFAULT 1
);
CREATE INDEX problem_action_problem_idx ON problem_action (problem_id);
CREATE INDEX problem_action_organisation_idx ON problem_action (organisation_id, status, due);

-- Every change to an action: status moves, notes, reassignments.
CREATE TABLE action_event (
    id          bigserial   PRIMARY KEY,
    action_id   bigint      NOT NULL REFERENCES problem_action (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    by_user     bigint      REFERENCES app_user (id),
    kind        text        NOT NULL CHECK (kind IN ('created', 'status', 'note', 'changed')),
    from_status text,
    to_status   text,
    changes     jsonb,
    note        text
);
CREATE INDEX action_event_action_idx ON action_event (action_id, at);
CREATE INDEX action_event_at_idx ON action_event (at);

-- A NAP-owned problem escalated to the AIM group; decided once (accepted: ownership moves to 'aim';
-- returned: stays with the NAP, with a note). At most one undecided escalation per problem.
CREATE TABLE escalation (
    id            bigserial   PRIMARY KEY,
    problem_id    bigint      NOT NULL REFERENCES problem (id) ON DELETE CASCADE,
    from_owner    text        NOT NULL,
    reason        text        NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    raised_by     bigint      NOT NULL REFERENCES app_user (id),
    raised_at     timestamptz NOT NULL DEFAULT now(),
    decision      text        CHECK (decision IN ('accepted', 'returned')),
    decision_note text,
    decided_by    bigint      REFERENCES app_user (id),
    decided_at    timestamptz,
    meeting_id    bigint      REFERENCES meeting (id) ON DELETE SET NULL,
    CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE UNIQUE INDEX escalation_one_open_idx ON escalation (problem_id) WHERE decision IS NULL;

-- Idempotency-Key of the loop's creating requests (problems, actions, escalations, meetings, decisions),
-- so a retried POST returns what the first one made and creates nothing.
CREATE TABLE loop_request (
    user_id      bigint      NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    key          text        NOT NULL,
    kind         text        NOT NULL,
    request_hash bytea       NOT NULL,
    resource_id  bigint      NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, kind, key)
);
