package org.medsync.library.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medsync.dicom.Deidentification;

/**
 * DICOM JSON from a PACS that does not follow PS3.18 (or tries not to): whatever its shape, the de-identifier
 * finishes and the name in it does not come through.
 */
class JsonDeidentifierMalformedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "attribute that is no object         | {`00100010`:`Doe^Jane`}                                                        | {}",
                "name as a string, not a PN object    | {`00100010`:{`vr`:`PN`,`Value`:[`Doe^Jane`]}}                                  | {`00100010`:{`vr`:`PN`,`Value`:[{`Alphabetic`:`ANONYMIZED`}]}}",
                "key that is no tag                   | {`PatientName`:{`vr`:`PN`,`Value`:[{`Alphabetic`:`Doe^Jane`}]}}                | {}",
                "tag in lower case                    | {`0008103e`:{`vr`:`LO`,`Value`:[`Doe^Jane`]}}                                  | {}",
                "sequence item that is no object      | {`00082218`:{`vr`:`SQ`,`Value`:[`Doe^Jane`,{`00100010`:{`vr`:`PN`}}]}}       | {`00082218`:{`vr`:`SQ`,`Value`:[{`00100010`:{`vr`:`PN`,`Value`:[{`Alphabetic`:`ANONYMIZED`}]}}]}}",
                "sequence Value that is no array      | {`00082218`:{`vr`:`SQ`,`Value`:{`x`:{`00101000`:{`vr`:`LO`,`Value`:[`Doe`]}}}}} | {`00082218`:{`vr`:`SQ`,`Value`:[]}}",
                "private tag inside a kept sequence   | {`00082218`:{`vr`:`SQ`,`Value`:[{`00091001`:{`vr`:`LO`,`Value`:[`Doe^Jane`]}}]}} | {`00082218`:{`vr`:`SQ`,`Value`:[{}]}}",
                "UID replacement with no Value        | {`0040A124`:{`vr`:`UI`}}                                                       | {`0040A124`:{`vr`:`UI`}}",
                "blank Patient ID gets no pseudonym   | {`00100020`:{`vr`:`LO`,`Value`:[``]}}                                          | {`00100020`:{`vr`:`LO`}}",
                "name beside a kept value             | {`00080060`:{`vr`:`CS`,`Value`:[`CT`],`Note`:{`00100010`:{`vr`:`PN`,`Value`:[{`Alphabetic`:`Doe^Jane`}]}}}} | {`00080060`:{`vr`:`CS`,`Value`:[`CT`]}}",
                "name inside a kept value             | {`00080060`:{`vr`:`CS`,`Value`:[`CT`,{`00100010`:{`vr`:`PN`,`Value`:[{`Alphabetic`:`Doe^Jane`}]}}]}} | {`00080060`:{`vr`:`CS`,`Value`:[`CT`,null]}}",
                "name as the vr                       | {`00080060`:{`vr`:{`Alphabetic`:`Doe^Jane`},`Value`:[`CT`]}}                  | {}",
                "field beside a dummied sequence      | {`00100020`:{`vr`:`SQ`,`Note`:`Doe^Jane`,`Value`:[]}}                         | {`00100020`:{`vr`:`SQ`,`Value`:[]}}",
                "vr that is no VR                     | {`00080060`:{`vr`:`Doe^Jane`,`Value`:[`CT`]}}                                  | {}",
            })
    void malformedInputIsCleanedAndLeaksNothing(String what, String input, String expected) throws Exception {
        // The table writes JSON's double quotes as backticks.
        ObjectNode dataset = (ObjectNode) JSON.readTree(input.replace('`', '"'));
        new JsonDeidentifier(new Deidentification("s")).apply(dataset);
        assertEquals(JSON.readTree(expected.replace('`', '"')), dataset, what);
        assertFalse(dataset.toString().contains("Doe"), what);
    }

    @ParameterizedTest(name = "nested {0} deep")
    @CsvSource({"10", "40", "200"})
    void deepNestingIsEmptiedNotPassedOn(int depth) throws Exception {
        String item = "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^Jane\"}]}}";
        for (int i = 0; i < depth; i++) {
            item = "{\"00082218\":{\"vr\":\"SQ\",\"Value\":[" + item + "]}}";
        }
        ObjectNode dataset = (ObjectNode) new ObjectMapper().readTree(item);
        new JsonDeidentifier(new Deidentification("s")).apply(dataset);
        assertFalse(dataset.toString().contains("Doe"));
    }
}
