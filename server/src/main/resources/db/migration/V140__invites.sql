-- Invites are recorded under their token's nonce, so that they can be limited in uses and revoked on every node
-- before they expire, and so that a guest's access lasts only as long as the invite that admitted them.
create table readout_invite (
    id         text primary key,
    readout_id text not null references readout (id) on delete cascade,
    role       text not null,
    created_by text not null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    max_uses   int not null check (max_uses >= 1),
    uses       int not null default 0,
    revoked_at timestamptz
);
create index readout_invite_readout on readout_invite (readout_id);

-- An ended readout admits nobody, and its guests lose access.
alter table readout add column ended_at timestamptz;

-- The invite that admitted a guest. Guests admitted before invites were recorded have none and lose access.
alter table readout_guest add column invite_id text references readout_invite (id) on delete cascade;
