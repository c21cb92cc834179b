package org.medsync.library.secrets;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The text of a settings record without its secrets. A record's generated toString prints every component, so
 * one log line or exception message that shows settings would print the passwords in them; settings records
 * that hold a secret override toString with {@link #recordString}.
 */
public final class Secrets {
    private static final String HIDDEN = "***";

    private Secrets() {}

    /**
     * Like the generated toString, with the named components shown as {@code ***} (null stays null) and the
     * user-info of every URI component (a password in {@code redis://:password@host}) hidden too.
     */
    public static String recordString(Record r, String... secretComponents) {
        Set<String> secret = Set.of(secretComponents);
        StringJoiner out = new StringJoiner(", ", r.getClass().getSimpleName() + "[", "]");
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                value = "?";
            }
            if (value != null && secret.contains(c.getName())) {
                value = HIDDEN;
            } else if (value instanceof URI u) {
                value = withoutUserInfo(u);
            }
            out.add(c.getName() + "=" + value);
        }
        return out.toString();
    }

    /** {@code u} with its user-info (user name and password) replaced by {@code ***}. */
    public static String withoutUserInfo(URI u) {
        if (u.getRawUserInfo() == null) {
            return u.toString();
        }
        return u.toString().replace(u.getRawUserInfo() + "@", HIDDEN + "@");
    }
}
