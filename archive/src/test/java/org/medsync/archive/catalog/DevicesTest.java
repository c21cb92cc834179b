package org.medsync.archive.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medsync.archive.EmbeddedArchiveDatabase;

class DevicesTest {
    private static EmbeddedArchiveDatabase db;
    private static Devices devices;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedArchiveDatabase.start("devices");
        devices = new Devices(db.dataSource());
        Hospitals hospitals = new Hospitals(db.dataSource());
        hospitals.save(new Hospital("north", "North", Hospital.MasterPolicy.KEEP, 45, List.of()));
        hospitals.save(new Hospital("south", "South", Hospital.MasterPolicy.KEEP, 45, List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void issued_credentialVerifies_andNamesItsDevice() throws Exception {
        Devices.Issued issued = devices.issue("north-or-1", "north", "OR 1", "Stryker tower", "admin");
        assertTrue(issued.credential().matches("msd_north-or-1_[A-Za-z0-9_-]{43}"), issued.credential());
        Device device = devices.verify(issued.credential()).orElseThrow();
        assertEquals("north-or-1", device.id());
        assertEquals("north", device.hospitalId());
        assertEquals("OR 1", device.operatingRoom());
        assertEquals("admin", device.issuedBy());
        assertFalse(issued.toString().contains(issued.credential().substring(20)));
    }

    @Test
    void onlyTheSecretsHash_isStored() throws Exception {
        Devices.Issued issued = devices.issue("north-or-2", "north", "OR 2", "", "admin");
        String secret = issued.credential().substring("msd_north-or-2_".length());
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("select * from archive_device where id = 'north-or-2'");
                ResultSet r = s.executeQuery()) {
            assertTrue(r.next());
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                String value = r.getString(i);
                assertFalse(
                        value != null && value.contains(secret), r.getMetaData().getColumnName(i));
            }
            assertEquals(Devices.sha256(secret), r.getString("secret_sha256"));
        }
    }

    @Test
    void revoked_isRefusedAtOnce() throws Exception {
        Devices.Issued issued = devices.issue("south-or-1", "south", "OR 1", "", "admin");
        assertTrue(devices.verify(issued.credential()).isPresent());
        assertTrue(devices.revoke("south-or-1", "root"));
        assertEquals(Optional.empty(), devices.verify(issued.credential()));
        Devices.Check.Revoked revoked =
                assertInstanceOf(Devices.Check.Revoked.class, devices.check(issued.credential()));
        assertEquals("root", revoked.device().revokedBy());
        assertFalse(devices.revoke("south-or-1", "root"), "a second revoke changes nothing");
        assertFalse(devices.revoke("no-such-device", "root"));
    }

    @Test
    void wrongSecret_orUnknownDevice_isRefused() throws Exception {
        Devices.Issued issued = devices.issue("south-or-2", "south", "OR 2", "", "admin");
        String credential = issued.credential();
        char last = credential.charAt(credential.length() - 1);
        String tampered = credential.substring(0, credential.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertInstanceOf(Devices.Check.Unknown.class, devices.check(tampered));
        String otherDevice = credential.replace("msd_south-or-2_", "msd_south-or-9_");
        assertInstanceOf(Devices.Check.Unknown.class, devices.check(otherDevice));
        assertEquals(Optional.empty(), devices.verify(tampered));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "msd_",
                "msd_x",
                "Bearer msd_north-or-1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "msd__AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "msd_North_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "msd_north-or-1_AAAA",
                "msd_north-or-1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "msd_north-or-1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
                "xyz_north-or-1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            })
    void malformedCredential_isRefusedWithoutALookup(String credential) throws Exception {
        assertInstanceOf(Devices.Check.Malformed.class, devices.check(credential));
        assertEquals(Optional.empty(), devices.verify(credential));
    }

    @Test
    void generatedIds_areDistinct_andCredentialsToo() throws Exception {
        Devices.Issued a = devices.issue(null, "north", "OR 3", "", "admin");
        Devices.Issued b = devices.issue(null, "north", "OR 3", "", "admin");
        assertTrue(a.device().id().matches("rec-[0-9a-f]{12}"), a.device().id());
        assertNotEquals(a.device().id(), b.device().id());
        assertNotEquals(a.credential().substring(21), b.credential().substring(21));
        assertEquals(
                a.device().id(), devices.verify(a.credential()).orElseThrow().id());
    }

    @Test
    void issue_refusesUnknownHospital_badId_reusedId_andLongFields() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> devices.issue("x-1", "nowhere", "OR", "", "admin"));
        assertThrows(IllegalArgumentException.class, () -> devices.issue("Has_Underscore", "north", "OR", "", "a"));
        devices.issue("reused", "north", "OR", "", "admin");
        devices.revoke("reused", "admin");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> devices.issue("reused", "north", "OR", "", "admin"));
        assertTrue(e.getMessage().contains("never reissued"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> devices.issue("x-2", "north", " ", "", "admin"));
        assertThrows(
                IllegalArgumentException.class, () -> devices.issue("x-3", "north", "OR", "d".repeat(201), "admin"));
        assertThrows(IllegalArgumentException.class, () -> devices.issue("x-4", "north", "OR\n1", "", "admin"));
        assertEquals(Optional.empty(), devices.find("x-1"));
    }

    @Test
    void list_byHospital_includesRevoked() throws Exception {
        devices.issue("list-a", "south", "OR 7", "", "admin");
        devices.issue("list-b", "south", "OR 8", "", "admin");
        devices.revoke("list-b", "admin");
        List<String> south = devices.list("south").stream().map(Device::id).toList();
        assertTrue(south.containsAll(List.of("list-a", "list-b")), south.toString());
        assertTrue(devices.list("south").stream().allMatch(d -> d.hospitalId().equals("south")));
        assertTrue(devices.list(null).size() >= south.size());
        assertTrue(devices.find("list-b").orElseThrow().revoked());
    }
}
