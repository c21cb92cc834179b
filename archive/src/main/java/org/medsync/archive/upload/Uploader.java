package org.medsync.archive.upload;

import java.util.Objects;
import org.medsync.archive.catalog.Device;

/**
 * Who sends an upload, as the server authenticated them: a recorder by its device credential, or a logged-in user
 * from the browser. Only the same uploader may continue, inspect or terminate an upload.
 *
 * @param deviceHospital a device's hospital (null for a user)
 * @param deviceRoom a device's operating room (null for a user)
 * @param admin a user who may upload for any hospital
 */
public record Uploader(Kind kind, String id, String deviceHospital, String deviceRoom, boolean admin) {
    public enum Kind {
        DEVICE,
        USER;

        String code() {
            return this == DEVICE ? "device" : "user";
        }
    }

    public Uploader {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static Uploader device(Device device) {
        return new Uploader(Kind.DEVICE, device.id(), device.hospitalId(), device.operatingRoom(), false);
    }

    public static Uploader user(String username, boolean admin) {
        return new Uploader(Kind.USER, username, null, null, admin);
    }
}
