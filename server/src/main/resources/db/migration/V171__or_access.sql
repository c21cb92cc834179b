-- Who may watch each live OR (docs/or-gateway.md "Access rules"), as the administrator last set it through
-- PUT /api/admin/or-access/{or}. An OR without a row follows the configuration (or.<id>.roles, .users, .teaching).
create table or_access (
    or_id      text primary key,
    roles      text not null,              -- role wire names, comma separated
    users      text not null,              -- user names, comma separated
    teaching   boolean not null,           -- a teaching procedure: teaching-only roles (or.rules.teaching-only-roles) may watch
    updated_by text not null,
    updated_at timestamptz not null
);
