package org.medsync.server;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;
import org.medsync.server.auth.Accounts.AccountException;
import org.medsync.server.or.OrException;
import org.medsync.testsupport.conventions.ReasonExceptions;

/** Every exception of this module that carries a reason has the one shape that ReasonExceptions describes. */
class ReasonExceptionsTest {
    @Test
    void everyExceptionWithAReason_hasTheOneShape() throws Exception {
        ReasonExceptions.check(MethodHandles.lookup(), AccountException.class, OrException.class);
    }
}
