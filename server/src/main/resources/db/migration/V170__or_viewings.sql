-- Every viewing of a live OR flow through the OR gateway (docs/or-gateway.md): who watched which OR and flow, from
-- when to when. A viewing still open (ended_at null) after a server crash is closed at the next start.
create table or_viewing (
    id         text primary key,
    username   text not null,
    role       text not null,
    or_id      text not null,
    flow       text not null,
    started_at timestamptz not null,
    ended_at   timestamptz,
    node       text not null
);
create index or_viewing_started on or_viewing (started_at desc);
create index or_viewing_or on or_viewing (or_id, started_at desc);
