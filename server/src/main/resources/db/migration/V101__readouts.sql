-- Readouts outlive the process that created them and are seen by every node of a cluster. What happens in a
-- readout (roster, floor, chat) lives in the memory of its home node only.
create table readout (
    id         text primary key,
    title      text not null,
    created_by text not null,
    created_at timestamptz not null,
    -- The node that runs the readout's signaling hub; a node takes it over when this one is gone.
    home_node  text not null
);

-- The readout's worklist, in order.
create table readout_study (
    readout_id         text not null references readout (id) on delete cascade,
    position           int not null,
    source             text not null,
    study_instance_uid text not null,
    label              text not null,
    primary key (readout_id, position)
);

-- Guests (no account) admitted by an invite: they see the studies of these readouts and nothing else.
create table readout_guest (
    readout_id text not null references readout (id) on delete cascade,
    username   text not null,
    primary key (readout_id, username)
);
create index readout_guest_username on readout_guest (username);
