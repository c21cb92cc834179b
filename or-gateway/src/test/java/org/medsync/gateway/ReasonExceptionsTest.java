package org.medsync.gateway;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;
import org.medsync.gateway.h264.EncoderException;
import org.medsync.testsupport.conventions.ReasonExceptions;

/** Every exception of this module that carries a reason has the one shape that ReasonExceptions describes. */
class ReasonExceptionsTest {
    @Test
    void everyExceptionWithAReason_hasTheOneShape() throws Exception {
        ReasonExceptions.check(MethodHandles.lookup(), EncoderException.class);
    }
}
