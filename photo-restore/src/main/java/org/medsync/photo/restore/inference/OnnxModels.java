package org.medsync.photo.restore.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Opening a model the one way both networks run it: ONNX Runtime on at most two intra-op threads (the deployment
 * target has two cores, and more threads than cores only adds switching), every graph optimisation on.
 */
public final class OnnxModels {
    private OnnxModels() {}

    /** The bytes of a model shipped as a class-path resource; {@code what} names it in the error. */
    public static byte[] shipped(Class<?> owner, String resource, String what) {
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(what + " missing from the class path: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** A session on {@code model}; a model ONNX Runtime refuses is an IllegalStateException naming {@code what}. */
    public static OrtSession open(OrtEnvironment env, byte[] model, String what) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Math.min(2, Runtime.getRuntime().availableProcessors()));
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused the " + what + ": " + e.getMessage(), e);
        }
    }
}
