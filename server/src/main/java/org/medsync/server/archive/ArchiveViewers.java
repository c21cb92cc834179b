package org.medsync.server.archive;

import java.sql.SQLException;
import org.medsync.archive.access.Viewer;
import org.medsync.archive.catalog.Hospitals;
import org.medsync.server.auth.Accounts;
import org.medsync.server.auth.Role;

/** A logged-in user as the archive's access rules see them: the one translation of server roles into a Viewer. */
public final class ArchiveViewers {
    private ArchiveViewers() {}

    public static Viewer of(Accounts.User u, Hospitals hospitals) throws SQLException {
        Role role = u.role();
        return new Viewer(
                u.username(),
                role == Role.ADMIN,
                Role.CLINICIANS.contains(role),
                role.seesDeidentified(),
                hospitals.of(u.username()));
    }
}
