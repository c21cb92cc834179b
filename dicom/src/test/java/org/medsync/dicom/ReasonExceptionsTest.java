package org.medsync.dicom;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;
import org.medsync.dicom.part10.DicomFormatException;
import org.medsync.dicom.worklist.WorklistException;
import org.medsync.testsupport.conventions.ReasonExceptions;

/** Every exception of this module that carries a reason has the one shape that ReasonExceptions describes. */
class ReasonExceptionsTest {
    @Test
    void everyExceptionWithAReason_hasTheOneShape() throws Exception {
        ReasonExceptions.check(MethodHandles.lookup(), DicomFormatException.class, WorklistException.class);
    }
}
