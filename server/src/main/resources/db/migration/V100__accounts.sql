-- Local accounts. Passwords are argon2id hashes in PHC string form; the plain password is never stored.
create table account (
    username      text primary key,
    display_name  text not null,
    role          text not null check (role in ('admin', 'attending', 'resident', 'student', 'observer')),
    password_hash text not null,
    created_at    timestamptz not null default now()
);

-- Installation-wide settings the server generates once (e.g. the de-identification key).
create table installation_setting (
    name  text primary key,
    value text not null
);
